/** The colours revisions take, in order; the same as the traffic bar's swatches in styles.css. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'] as const;

export function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}
