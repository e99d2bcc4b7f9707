#!/usr/bin/env node
/**
 * Draws ArbDesk's icons as PNGs with nothing but Node (zlib for the PNG encoding), so they can
 * be regenerated anywhere: `node resources/generate-icons.mjs`. The PNGs are committed; the
 * build and CI never run this.
 *
 *   resources/icon.png             512×512 app icon (electron-builder derives .icns/.ico from it)
 *   resources/tray/tray-<level>.png     16×16 tray icons, one colour per overall status
 *   resources/tray/tray-<level>@2x.png  32×32 for HiDPI (Electron picks it by name)
 *
 * The picture: a rounded square with a rising trend line and arrow head (an arbitrage chart).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// --- PNG encoding ------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** rgba: Uint8Array of size*size*4 → PNG file bytes (8-bit RGBA, no interlace). */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- Shapes (in a 0..1 unit square) --------------------------------------------------------------

function insideRoundedSquare(x, y, inset, radius) {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius;
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
  const dx = px - (ax + t * vx);
  const dy = py - (ay + t * vy);
  return Math.sqrt(dx * dx + dy * dy);
}

function insideTriangle(px, py, [a, b, c]) {
  const sign = (p1, p2, p3) => (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1]);
  const p = [px, py];
  const d1 = sign(p, a, b);
  const d2 = sign(p, b, c);
  const d3 = sign(p, c, a);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

/** The trend line: up, dip, then a long rise to the top right, ending in an arrow head. */
const TREND = [
  [0.22, 0.7],
  [0.42, 0.5],
  [0.55, 0.6],
  [0.72, 0.4],
];
const ARROW = [
  [0.8, 0.3],
  [0.62, 0.33],
  [0.77, 0.48],
];

function insideGlyph(x, y, stroke) {
  for (let i = 0; i + 1 < TREND.length; i += 1) {
    if (distanceToSegment(x, y, TREND[i], TREND[i + 1]) <= stroke / 2) return true;
  }
  return insideTriangle(x, y, ARROW);
}

// --- Rendering -----------------------------------------------------------------------------------

function hex(color) {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

/**
 * Renders the icon at `size` px with 4×4 supersampling per pixel (anti-aliased edges).
 * `top`/`bottom` colour the square as a vertical gradient; the glyph is white.
 */
function render(size, { top, bottom, inset, radius, stroke }) {
  const out = new Uint8Array(size * size * 4);
  const S = 4;
  const white = [255, 255, 255];
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let cover = 0;
      let glyph = 0;
      for (let sy = 0; sy < S; sy += 1) {
        for (let sx = 0; sx < S; sx += 1) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          if (!insideRoundedSquare(x, y, inset, radius)) continue;
          cover += 1;
          if (insideGlyph(x, y, stroke)) glyph += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (cover === 0) continue;
      const base = mix(hex(top), hex(bottom), py / (size - 1));
      const rgb = mix(base, white, glyph / cover);
      out[i] = Math.round(rgb[0]);
      out[i + 1] = Math.round(rgb[1]);
      out[i + 2] = Math.round(rgb[2]);
      out[i + 3] = Math.round((255 * cover) / (S * S));
    }
  }
  return encodePng(size, out);
}

// --- Output --------------------------------------------------------------------------------------

const APP = { top: '#3b5bdb', bottom: '#0b7285', inset: 0.06, radius: 0.2, stroke: 0.085 };
/** Overall levels from electron/main/status-board.ts. */
const TRAY = {
  ok: ['#40c057', '#2b8a3e'],
  warn: ['#fcc419', '#e67700'],
  error: ['#ff6b6b', '#c92a2a'],
  idle: ['#adb5bd', '#495057'],
};

const files = [['icon.png', render(512, APP)]];
for (const [level, [top, bottom]] of Object.entries(TRAY)) {
  // Fuller square and a thicker line: at 16 px every pixel has to count.
  const style = { top, bottom, inset: 0.02, radius: 0.22, stroke: 0.14 };
  files.push([path.join('tray', `tray-${level}.png`), render(16, style)]);
  files.push([path.join('tray', `tray-${level}@2x.png`), render(32, style)]);
}

mkdirSync(path.join(here, 'tray'), { recursive: true });
for (const [name, bytes] of files) {
  writeFileSync(path.join(here, name), bytes);
  console.log(`wrote resources/${name} (${bytes.length} bytes)`);
}
