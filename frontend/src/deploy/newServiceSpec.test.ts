import { describe, expect, it } from 'vitest';
import { buildSpec, parseEnv, splitCommand, type NewServiceForm } from './newServiceSpec';

describe('splitCommand', () => {
  it('splits on whitespace and keeps quoted words whole', () => {
    expect(splitCommand(`java -jar "/opt/model server.jar" --name 'a b'`)).toEqual(['java', '-jar', '/opt/model server.jar', '--name', 'a b']);
  });

  it('honours backslash escapes and empty quoted words', () => {
    expect(splitCommand(String.raw`echo a\ b "" "say \"hi\""`)).toEqual(['echo', 'a b', '', 'say "hi"']);
  });

  it('refuses an unclosed quote', () => {
    expect(splitCommand('echo "oops')).toBeNull();
  });
});

describe('parseEnv', () => {
  it('reads KEY=value lines, keeping = in values, and names the bad lines', () => {
    expect(parseEnv('A=1\n\nB=x=y\noops\n=nokey')).toEqual({ env: { A: '1', B: 'x=y' }, bad: [4, 5] });
  });
});

const FORM: NewServiceForm = {
  namespace: 'ml',
  name: 'resnet',
  image: '',
  command: 'java -jar /opt/model-server.jar',
  env: 'MODEL_VERSION=1.0',
  readinessPath: '/healthz',
  visibility: 'cluster-local',
  coldStartSlo: '',
  minScale: '',
  maxScale: '3',
  window: '6s',
  labels: 'team=vision',
};

describe('buildSpec', () => {
  it('sends what was filled in and leaves the rest to the API defaults', () => {
    expect(buildSpec(FORM)).toEqual({
      spec: {
        name: 'resnet',
        visibility: 'cluster-local',
        labels: { team: 'vision' },
        template: {
          command: ['java', '-jar', '/opt/model-server.jar'],
          env: { MODEL_VERSION: '1.0' },
          readiness: { path: '/healthz' },
          scale: { max: 3, window: '6s' },
        },
      },
      problems: [],
    });
  });

  it('collects every problem it can see before sending anything', () => {
    const built = buildSpec({ ...FORM, command: 'echo "x', env: 'nope', maxScale: '-1' });
    expect(built.spec).toBeNull();
    expect(built.problems).toEqual([
      'The command has a quote that is not closed.',
      'Environment lines 1 are not KEY=value.',
      'Scale max must be a whole number of instances, 0 or more.',
    ]);
  });
});
