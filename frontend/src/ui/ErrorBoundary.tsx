import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Keeps a screen that fails to render from blanking the whole console: the navigation stays, and the screen
 * says what went wrong with a way to try again. `resetKey` (the address) clears the failure on navigation.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) {
      this.setState({ error: null });
    }
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('A console screen failed to render', error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <div role="alert" className="notice notice-error">
          <p>
            <strong>This screen failed to show.</strong> {this.state.error.message}
          </p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
