// Loads the counter the same way public/boot.js loads the app.
import init from './bare-leptos.js';
await init();
