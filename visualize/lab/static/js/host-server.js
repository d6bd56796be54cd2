// The server host: host.call(method, params) -> Promise of the result, over one JSON API.
// Other hosts (a notebook widget, Pyodide in the page) implement the same call().
import { LabError } from "./errors.js";

export function createServerHost(api = new URL("../../api", import.meta.url)) {
  let session = null;
  return {
    name: "server",
    async call(method, params = {}) {
      let response;
      try {
        response = await fetch(api, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ session, method, params }),
          cache: "no-store",
        });
      } catch (e) {
        throw new LabError({ id: "connection_lost", params: { message: String(e.message || e) } });
      }
      let data;
      try {
        data = await response.json();
      } catch (e) {
        throw new LabError({ id: "connection_lost",
                             params: { message: `HTTP ${response.status}` } });
      }
      if (data.session) session = data.session;
      if (!data.ok) throw new LabError(data.error);
      return data.result;
    },
  };
}
