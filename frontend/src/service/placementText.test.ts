import { describe, expect, it } from 'vitest';
import { placementText } from './placementText';

describe('placementText', () => {
  it('names the clusters, with weights only where they differ', () => {
    expect(placementText(null)).toBe('local');
    expect(placementText({ clusters: ['eu', 'us'] })).toBe('eu, us');
    expect(placementText({ clusters: ['eu', 'us'], weights: { eu: 2, us: 2 } })).toBe('eu, us');
    expect(placementText({ clusters: ['eu', 'us'], weights: { us: 3 } })).toBe('eu (weight 1), us (weight 3)');
  });
});
