// Entry point of the browser client, loaded as a module by index.html.

import { ChatApp } from './chat-app.js';

const app = new ChatApp();
// for the end-to-end tests and for curious people with developer tools open
window.parley = app;
