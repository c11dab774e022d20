// How to reach one API server and who to be there. `loadKubeconfig` produces it; `ApiClient` takes it.
import type { RequestDispatcher } from './transport.js';

export interface ClientConfig {
  /** Base URL, e.g. `https://127.0.0.1:6443` or `http://127.0.0.1:8080/prefix`. */
  server: string;
  token?: string;
  username?: string;
  password?: string;
  /** PEM text (not paths) of the CA bundle, client certificate and client key. */
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipTLSVerify?: boolean;
  /** TLS server name to verify instead of the URL's host. */
  tlsServerName?: string;
  /** Namespace used by single-object calls when neither the call nor the object names one. */
  namespace?: string;
  userAgent?: string;
  /** Cap on keep-alive connections in the pool (default: no cap; each open watch holds one). */
  connections?: number;
  /**
   * Objects in answers and watch events come without metadata.managedFields, which are then never
   * decoded: for in-process components that do not read them (a write without managedFields keeps
   * the stored ones). Off by default: kubectl-like callers show them.
   */
  omitManagedFields?: boolean;
  /**
   * Carries the requests instead of HTTP (the daemon's in-process transport to its own API server):
   * same paths, headers and bodies. `server` then only gives a path prefix, if it has one.
   */
  dispatcher?: RequestDispatcher;
  /** Called with the text of each `Warning: 299 - "text"` response header. */
  onWarning?: (message: string) => void;
}
