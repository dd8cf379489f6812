/** Imported first by main.ts: the process title loses any --queue password before anything else loads (queue/redact.ts). */
import { hideCredentialsFromTitle } from "../queue/redact.js";

hideCredentialsFromTitle();
