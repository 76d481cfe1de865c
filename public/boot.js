// Loads the WebAssembly app. Kept in its own file so the page needs no inline script.
import init from './kaniko-studio-app.js';

// The troubleshooter is a second WebAssembly module, fetched from this origin only when the
// Troubleshoot tab first opens (app/src/troubleshoot.rs calls this). Resolves to the
// initialised module; a failed load is forgotten so that a later visit to the tab tries again.
let troubleshooter;
globalThis.kanikoStudioTroubleshooter = () => {
  troubleshooter ??= import('./kaniko-studio-troubleshoot.js')
    .then(async (module) => {
      await module.default();
      return module;
    })
    .catch((err) => {
      troubleshooter = undefined;
      throw err;
    });
  return troubleshooter;
};

// Offline support: cache the page after the first visit (served over http(s) only). Registered
// once the wizard runs, because installing the worker downloads the troubleshooter's module too,
// which must not compete with the first load.
function registerServiceWorker() {
  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // Without a service worker the page still works; it just needs the network to load.
    });
  }
}

// The release build aborts on a panic (`panic = "immediate-abort"`, scripts/lib.sh): the module
// traps, which reaches the page as a WebAssembly.RuntimeError from an event handler or a task.
// Say on the page that it stopped, as the panic hook of other builds does (ui::show_crash),
// once, and never instead of a notice the hook already put there.
function showTrap(err) {
  if (!(err instanceof WebAssembly.RuntimeError) || document.querySelector('p.crash')) return;
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.className = 'crash';
  p.textContent = 'Kaniko Studio stopped after an internal error, so the page no longer responds. '
    + 'What you typed in the wizard was saved in this browser: reload the page to go on. '
    + 'The error was: ' + err.message;
  document.body.prepend(p);
}
addEventListener('error', (event) => showTrap(event.error));
addEventListener('unhandledrejection', (event) => showTrap(event.reason));

init().then(registerServiceWorker, (err) => {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = 'Kaniko Studio could not start: ' + err + '. Your browser needs WebAssembly support.';
  document.body.prepend(p);
});
