import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { changeHeaders, fetchJson } from '../api/client';
import { sessionQuery } from '../api/session';
import type { Service } from '../api/types';
import { grantedNamespaces } from '../auth/namespaces';
import { paths } from '../ui/paths';
import { LoadError } from '../ui/LoadError';
import { buildSpec, type NewServiceForm } from './newServiceSpec';

const EMPTY: NewServiceForm = {
  namespace: '',
  name: '',
  image: '',
  command: '',
  env: '',
  readinessPath: '',
  visibility: 'cluster-local',
  coldStartSlo: '',
  minScale: '',
  maxScale: '',
  window: '',
  labels: '',
};

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

/**
 * Deploys a new service: its first revision runs the command (on the local runtime) or the image, and
 * gets all traffic once ready. What is left empty takes the API's defaults.
 */
export function NewServicePage() {
  const id = useId();
  const session = useQuery(sessionQuery());
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<NewServiceForm>({ ...EMPTY, namespace: grantedNamespaces(session.data?.grants ?? [])[0] ?? 'default' });
  const [cause, setCause] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (spec: Record<string, unknown>) => {
      return fetchJson<Service>(`/api/v1/namespaces/${encodeURIComponent(form.namespace.trim())}/services`, {
        method: 'POST',
        headers: changeHeaders(cause),
        body: JSON.stringify(spec),
      });
    },
    onSuccess: (service) => {
      void queryClient.invalidateQueries({ queryKey: ['services', 'overview'] });
      navigate(paths.service(service.namespace, service.name));
    },
  });

  function set<K extends keyof NewServiceForm>(key: K, value: NewServiceForm[K]) {
    setForm((current) => ({ ...current, [key]: value }));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const built = buildSpec(form);
    setProblems(built.problems);
    if (built.spec) {
      create.mutate(built.spec);
    }
  }

  const text = (key: keyof NewServiceForm, label: string, props: { placeholder?: string; hint?: string; required?: boolean } = {}) => (
    <Field id={`${id}-${key}`} label={label} hint={props.hint}>
      <input
        id={`${id}-${key}`}
        value={form[key]}
        onChange={(event) => set(key, event.target.value as never)}
        placeholder={props.placeholder}
        required={props.required}
        aria-describedby={props.hint ? `${id}-${key}-hint` : undefined}
        spellCheck={false}
        autoCapitalize="none"
      />
    </Field>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <p className="breadcrumb">
        <Link href={paths.services}>Services</Link> /
      </p>
      <h2 id={`${id}-heading`}>New service</h2>
      <form className="new-service" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Where</legend>
          {text('namespace', 'Namespace', { required: true })}
          {text('name', 'Name', { required: true, hint: 'Lower-case letters, digits and -, as in a DNS label.' })}
        </fieldset>
        <fieldset>
          <legend>What runs</legend>
          {text('command', 'Command', { placeholder: 'java -jar /opt/model-server.jar', hint: 'Run by the local runtime with PORT set; quotes keep spaces.' })}
          {text('image', 'Image', { placeholder: 'registry.example.com/team/model:1.2', hint: 'For clusters that run images.' })}
          <Field id={`${id}-env`} label="Environment" hint="One KEY=value per line.">
            <textarea id={`${id}-env`} rows={3} value={form.env} onChange={(event) => set('env', event.target.value)} aria-describedby={`${id}-env-hint`} spellCheck={false} />
          </Field>
          {text('readinessPath', 'Readiness path', { placeholder: '/healthz', hint: 'Empty: ready once the port accepts connections.' })}
        </fieldset>
        <fieldset>
          <legend>How it serves</legend>
          <Field id={`${id}-visibility`} label="Visibility">
            <select id={`${id}-visibility`} value={form.visibility} onChange={(event) => set('visibility', event.target.value as NewServiceForm['visibility'])}>
              <option value="cluster-local">cluster-local</option>
              <option value="public">public</option>
            </select>
          </Field>
          {text('coldStartSlo', 'Cold-start SLO', { placeholder: '10s' })}
          {text('minScale', 'Min instances', { placeholder: '0' })}
          {text('maxScale', 'Max instances', { placeholder: 'no limit' })}
          {text('window', 'Scaling window', { placeholder: '60s' })}
          <Field id={`${id}-labels`} label="Labels" hint="One key=value per line.">
            <textarea id={`${id}-labels`} rows={2} value={form.labels} onChange={(event) => set('labels', event.target.value)} aria-describedby={`${id}-labels-hint`} spellCheck={false} />
          </Field>
        </fieldset>
        <Field id={`${id}-cause`} label="Why (kept in the audit trail)">
          <input id={`${id}-cause`} value={cause} onChange={(event) => setCause(event.target.value)} />
        </Field>
        {problems.length > 0 && (
          <ul role="alert" className="notice notice-error">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        {create.error && <LoadError error={create.error} outcome="Not created." />}
        <div className="editor-actions">
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create service'}
          </button>
        </div>
      </form>
    </section>
  );
}
