// graphql-http's audit of the graphql-over-http spec, against the gateway at process.argv[2], signed in with the
// bearer token process.argv[3]. Prints one JSON line: [{id, name, status: ok|warn|error, reason}].
import { auditServer } from "graphql-http";

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }))));
