/**
 * `node --import ./register-electron-fake.mjs main.cjs`: makes `require('electron')` in the
 * bundled main process return electron-fake.mjs.
 */
import Module from 'node:module';
import * as fake from './electron-fake.mjs';

const ID = 'arbdesk-electron-fake';
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  return request === 'electron' ? ID : resolve.call(this, request, ...rest);
};
const mod = new Module(ID);
mod.exports = { ...fake, default: fake };
mod.loaded = true;
Module._cache[ID] = mod;
