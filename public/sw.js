// Kaniko Studio's service worker: the page keeps working with the network off after the
// first visit. Network first (so a new release is picked up at once), the cache when offline.
// Only this origin's GET requests are handled; nothing is ever sent anywhere else.
const CACHE = 'kaniko-studio-v1';
const SHELL = [
  './',
  'index.html',
  'boot.js',
  'kaniko-studio-app.js',
  'kaniko-studio-app_bg.wasm',
  // The troubleshooter's module: loaded only when its tab opens, cached at install so that it
  // opens offline too.
  'kaniko-studio-troubleshoot.js',
  'kaniko-studio-troubleshoot_bg.wasm',
  'style.css',
  'favicon.svg',
  'manifest.webmanifest',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(async () => {
        const cached = await caches.match(request, { ignoreSearch: true });
        if (cached) return cached;
        if (request.mode === 'navigate') return caches.match('index.html');
        return Response.error();
      }),
  );
});
