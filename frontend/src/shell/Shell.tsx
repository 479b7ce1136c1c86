import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useRoute } from 'wouter';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import type { Session } from '../api/types';
import { ServicesPage } from '../services/ServicesPage';
import { paths } from '../ui/paths';

// Screens other than the overview load when first visited, so the page SREs open first downloads only its own code.
const ServicePage = lazy(() => import('../service/ServicePage').then((module) => ({ default: module.ServicePage })));
const NewServicePage = lazy(() => import('../deploy/NewServicePage').then((module) => ({ default: module.NewServicePage })));
const HistoryPage = lazy(() => import('../history/HistoryPage').then((module) => ({ default: module.HistoryPage })));
const LogsPage = lazy(() => import('../logs/LogsPage').then((module) => ({ default: module.LogsPage })));
const AuditPage = lazy(() => import('../audit/AuditPage').then((module) => ({ default: module.AuditPage })));
const ClustersPage = lazy(() => import('../clusters/ClustersPage').then((module) => ({ default: module.ClustersPage })));
const TokensPage = lazy(() => import('../admin/TokensPage').then((module) => ({ default: module.TokensPage })));
const UsersPage = lazy(() => import('../admin/UsersPage').then((module) => ({ default: module.UsersPage })));

/** Only admins of every namespace list clusters and manage users and tokens, so only they see those screens. */
export function isAdminEverywhere(session: Session): boolean {
  return session.grants.some((grant) => grant.namespace === '*' && grant.role === 'admin');
}

function NavLink({ href, children, prefix }: { href: string; children: ReactNode; prefix?: boolean }) {
  const [active] = useRoute(prefix ? `${href}/*?` : href);
  return (
    <Link href={href} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The signed-in console: navigation and the screen for the current path. */
export function Shell({ session }: { session: Session }) {
  const [location] = useLocation();
  const admin = isAdminEverywhere(session);
  return (
    <>
      <nav className="app-nav" aria-label="Console">
        <NavLink href={paths.services} prefix>
          Services
        </NavLink>
        <NavLink href={paths.history}>Point in time</NavLink>
        <NavLink href={paths.audit}>Audit</NavLink>
        {admin && (
          <>
            <NavLink href={paths.clusters}>Clusters</NavLink>
            <NavLink href={paths.tokens}>Tokens</NavLink>
            <NavLink href={paths.users}>Users</NavLink>
          </>
        )}
      </nav>
      <ErrorBoundary resetKey={location}>
        <Suspense
          fallback={
            <p role="status" className="muted screen-loading">
              Loading…
            </p>
          }
        >
          <Switch>
            <Route path="/">
              <Redirect to={paths.services} replace />
            </Route>
            <Route path={paths.services} component={ServicesPage} />
            <Route path={paths.newService} component={NewServicePage} />
            <Route path="/services/:namespace/:name/revisions/:revision/logs">
              {(params) => <LogsPage namespace={params.namespace} name={params.name} revision={params.revision} />}
            </Route>
            <Route path="/services/:namespace/:name">
              {(params) => <ServicePage namespace={params.namespace} name={params.name} session={session} />}
            </Route>
            <Route path={paths.history} component={HistoryPage} />
            <Route path={paths.audit} component={AuditPage} />
            {admin && <Route path={paths.clusters} component={ClustersPage} />}
            {admin && <Route path={paths.tokens} component={TokensPage} />}
            {admin && <Route path={paths.users} component={UsersPage} />}
            <Route>
              <section className="panel">
                <h2>Nothing here</h2>
                <p>
                  This address is not a page of the console. <Link href={paths.services}>Go to the services.</Link>
                </p>
              </section>
            </Route>
          </Switch>
        </Suspense>
      </ErrorBoundary>
    </>
  );
}
