// The local server's page: the lab with the HTTP host.
import { startLab } from "./app.js";
import { createServerHost } from "./host-server.js";

startLab(document.getElementById("lab"), createServerHost(), { urlState: true });
