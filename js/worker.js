// Browser Web Worker entry (module worker). Static imports only: bundlers
// build workers as classic scripts, where a dynamic import() fails.
import './wasm_exec.js';
import { serve } from './engine.js';

serve(self);
