// What `npm start` and the CLI agree on to find each other: the same defaults, and the file the
// running instance writes its operator token to (inside its data directory).

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = '.lifeline';
/** `<data dir>/operator-token`: this run's operator token, mode 0600, replaced at every start. */
export const OPERATOR_TOKEN_FILE = 'operator-token';
/** The header a script may send instead of a JSON body to mark a request as not a plain form post. */
export const OPERATOR_REQUEST_HEADER = 'x-lifeline-operator';
