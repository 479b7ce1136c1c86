/**
 * Splits a command line into words the way a shell would for simple cases: whitespace separates, single or
 * double quotes keep spaces inside one word, a backslash escapes the next character. Null when a quote is
 * left open.
 */
export function splitCommand(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote) {
      if (c === quote) {
        quote = null;
      } else if (c === '\\' && quote === '"' && i + 1 < line.length) {
        word += line.charAt(++i);
      } else {
        word += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) {
    return null;
  }
  if (inWord) {
    words.push(word);
  }
  return words;
}

/** `KEY=value` lines (blank lines skipped) as a map; the line numbers that are not of that form. */
export function parseEnv(text: string): { env: Record<string, string>; bad: number[] } {
  const env: Record<string, string> = {};
  const bad: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) {
      return;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) {
      bad.push(index + 1);
      return;
    }
    env[line.slice(0, equals).trim()] = line.slice(equals + 1);
  });
  return { env, bad };
}

/** What the form holds, as typed. */
export interface NewServiceForm {
  namespace: string;
  name: string;
  image: string;
  command: string;
  env: string;
  readinessPath: string;
  visibility: 'cluster-local' | 'public';
  coldStartSlo: string;
  minScale: string;
  maxScale: string;
  window: string;
  labels: string;
}

export interface BuiltSpec {
  spec: Record<string, unknown> | null;
  problems: string[];
}

/**
 * The body of `POST .../services` for the form, leaving out what was left empty so the API's defaults
 * apply. The API checks everything again; this only catches what cannot be sent at all.
 */
export function buildSpec(form: NewServiceForm): BuiltSpec {
  const problems: string[] = [];
  const command = splitCommand(form.command);
  if (command === null) {
    problems.push('The command has a quote that is not closed.');
  }
  const env = parseEnv(form.env);
  if (env.bad.length > 0) {
    problems.push(`Environment lines ${env.bad.join(', ')} are not KEY=value.`);
  }
  const labels = parseEnv(form.labels);
  if (labels.bad.length > 0) {
    problems.push(`Label lines ${labels.bad.join(', ')} are not key=value.`);
  }
  const scale: Record<string, unknown> = {};
  for (const [key, value] of [
    ['min', form.minScale],
    ['max', form.maxScale],
  ] as const) {
    if (value.trim()) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) {
        problems.push(`Scale ${key} must be a whole number of instances, 0 or more.`);
      } else {
        scale[key] = n;
      }
    }
  }
  if (form.window.trim()) {
    scale.window = form.window.trim();
  }
  if (problems.length > 0) {
    return { spec: null, problems };
  }
  const template: Record<string, unknown> = {};
  if (form.image.trim()) {
    template.image = form.image.trim();
  }
  if (command && command.length > 0) {
    template.command = command;
  }
  if (Object.keys(env.env).length > 0) {
    template.env = env.env;
  }
  if (form.readinessPath.trim()) {
    template.readiness = { path: form.readinessPath.trim() };
  }
  if (Object.keys(scale).length > 0) {
    template.scale = scale;
  }
  const spec: Record<string, unknown> = { name: form.name.trim(), visibility: form.visibility, template };
  if (form.coldStartSlo.trim()) {
    spec.coldStartSlo = form.coldStartSlo.trim();
  }
  if (Object.keys(labels.env).length > 0) {
    spec.labels = labels.env;
  }
  return { spec, problems };
}
