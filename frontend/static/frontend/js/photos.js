/* Stadtmelder – photos in the browser, before upload (the citizens' report form and the crew app):
   - exifGps(ArrayBuffer): the GPS position in a JPEG's EXIF block, {lon, lat} in WGS 84
     degrees, or null. A small reader of our own (JPEG APP1 → TIFF → IFD0 → GPS IFD): no
     library, and nothing leaves the device before the citizen decides to send.
   - prepare(File): the photo to upload. JPEG/PNG/WebP above ~2 megapixels are downscaled
     on a canvas to about 2 MP and sent as JPEG (quality 0.85) to save mobile data; the EXIF
     orientation is applied by createImageBitmap. Smaller photos, HEIC/HEIF (browsers cannot
     decode it) and anything the browser cannot decode are sent as they are.
   The canvas copy has no EXIF; that is why the position is read from the original first. */
(function () {
  "use strict";
  var TARGET_PIXELS = 2000000;
  var QUALITY = 0.85;

  function rational(view, offset, little) {
    var denominator = view.getUint32(offset + 4, little);
    return denominator ? view.getUint32(offset, little) / denominator : NaN;
  }

  function degrees(parts, ref, positive, negative, limit) {
    if (!parts || (ref !== positive && ref !== negative)) return null;
    var minutes = parts[1] || 0, seconds = parts[2] || 0;
    if (!parts.every(isFinite) || minutes >= 60 || seconds >= 60 || parts[0] < 0) return null;
    var value = parts[0] + minutes / 60 + seconds / 3600;
    if (value > limit) return null;
    return ref === negative ? -value : value;
  }

  function gpsFromTiff(view, start) {
    var little = view.getUint16(start) === 0x4949;  // "II" little endian, "MM" big endian
    function u16(o) { return view.getUint16(start + o, little); }
    function u32(o) { return view.getUint32(start + o, little); }
    if (u16(2) !== 42) return null;
    var ifd0 = u32(4), gps = null, i, entry;
    for (i = 0; i < u16(ifd0); i++) {
      entry = ifd0 + 2 + i * 12;
      if (u16(entry) === 0x8825) gps = u32(entry + 8);  // GPSInfo IFD pointer
    }
    if (gps === null) return null;
    var tags = {};
    for (i = 0; i < u16(gps); i++) {
      entry = gps + 2 + i * 12;
      var tag = u16(entry), type = u16(entry + 2), count = u32(entry + 4);
      if (type === 2) {  // ASCII: up to 4 bytes inline, else at an offset
        var at = count <= 4 ? entry + 8 : u32(entry + 8);
        tags[tag] = String.fromCharCode(view.getUint8(start + at)).toUpperCase();
      } else if (type === 5 && count >= 1 && count <= 3) {  // RATIONAL: degrees, minutes, seconds
        var base = u32(entry + 8), values = [];
        for (var k = 0; k < count; k++) values.push(rational(view, start + base + k * 8, little));
        tags[tag] = values;
      }
    }
    if (tags[9] === "V") return null;  // GPSStatus "V": measurement void
    var lat = degrees(tags[2], tags[1], "N", "S", 90);
    var lon = degrees(tags[4], tags[3], "E", "W", 180);
    if (lat === null || lon === null || (lat === 0 && lon === 0)) return null;
    return { lon: lon, lat: lat };
  }

  function exifGps(buffer) {
    try {
      var view = new DataView(buffer);
      if (view.getUint16(0) !== 0xFFD8) return null;  // not a JPEG
      var offset = 2;
      while (offset + 4 <= view.byteLength) {
        var marker = view.getUint16(offset);
        if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return null;  // broken, or image data begins
        var size = view.getUint16(offset + 2);
        if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966 && view.getUint16(offset + 8) === 0) {
          return gpsFromTiff(view, offset + 10);  // "Exif\0\0" then the TIFF header
        }
        offset += 2 + size;
      }
    } catch (e) { /* truncated or malformed: no position */ }
    return null;
  }

  function isHeic(file) {
    return /image\/hei[cf]/i.test(file.type || "") || /\.hei[cf]$/i.test(file.name || "");
  }

  function asIs(file, extra) {
    return Object.assign({ blob: file, name: file.name || "foto", type: file.type, resized: false }, extra || {});
  }

  function prepare(file) {
    var gpsPromise = /jpe?g$/i.test(file.type || "") || /\.jpe?g$/i.test(file.name || "")
      ? file.slice(0, 256 * 1024).arrayBuffer().then(exifGps, function () { return null; })
      : Promise.resolve(null);
    if (isHeic(file) || !window.createImageBitmap) {
      return gpsPromise.then(function (gps) { return asIs(file, { gps: gps }); });
    }
    return gpsPromise.then(function (gps) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var pixels = bitmap.width * bitmap.height;
        if (pixels <= TARGET_PIXELS * 1.1) {
          var size = { width: bitmap.width, height: bitmap.height, gps: gps };
          bitmap.close();
          return asIs(file, size);
        }
        var scale = Math.sqrt(TARGET_PIXELS / pixels);
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        bitmap.close();
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); }).then(function (blob) {
          if (!blob) return asIs(file, { gps: gps });
          var name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
          return { blob: blob, name: name, type: "image/jpeg", resized: true, width: canvas.width,
                   height: canvas.height, gps: gps };
        });
      }, function () { return asIs(file, { gps: gps }); });
    });
  }

  window.StadtmelderPhotos = { exifGps: exifGps, prepare: prepare };
})();
