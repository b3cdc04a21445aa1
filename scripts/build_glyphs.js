#!/usr/bin/env node
// Glyph PBFs (signed-distance-field glyphs for MapLibre labels) from a TrueType font, with
// fontnik (npm, Mapbox's generator, prebuilt native module). Called by
// `manage.py build_basemap_glyphs`; usage: node scripts/build_glyphs.js FONT.ttf OUTDIR [START-END ...]
// Without ranges: all 256 blocks of the Basic Multilingual Plane (0-255 … 65280-65535).
'use strict';
const fs = require('fs');
const path = require('path');
const fontnik = require('fontnik');

const [font, outDir, ...wanted] = process.argv.slice(2);
if (!font || !outDir) {
  console.error('usage: build_glyphs.js FONT.ttf OUTDIR [START-END ...]');
  process.exit(2);
}
const data = fs.readFileSync(font);
fs.mkdirSync(outDir, { recursive: true });
const starts = wanted.length ? wanted.map((r) => parseInt(r.split('-')[0], 10))
  : Array.from({ length: 256 }, (_, i) => i * 256);

function next(i) {
  if (i >= starts.length) return;
  const start = starts[i];
  const end = start + 255;
  fontnik.range({ font: data, start, end }, (err, pbf) => {
    if (err) {
      console.error(String(err));
      process.exit(1);
    }
    fs.writeFileSync(path.join(outDir, `${start}-${end}.pbf`), pbf);
    next(i + 1);
  });
}
next(0);
