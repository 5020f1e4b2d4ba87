/* Answers kept on the device, for every resource page whose <form class="tk-form"> has
   fields (checklists, worksheets, reflections, evaluations and any later form kind).

   - Saves every text, date, radio and checkbox answer in localStorage as the person types,
     one entry per resource and language ("wbl-toolkit.answers.v1:<lang>:<resource-id>"),
     and puts the answers back when the page opens again. Nothing leaves the device.
   - Nothing saved is lost when the content changes: answers to fields no longer on the page
     (a question removed or its id changed) are kept in the entry, and a renamed resource
     (its former ids in data-tk-former) takes over the entry saved under an old id.
   - "Download my filled-in PDF": fetches the page's own print PDF (data-tk-pdf), fills its
     AcroForm fields with @cantoo/pdf-lib (loaded from this site only when asked for), and
     saves it. Web field names equal the PDF field names (macros/render.py
     form_field_descriptions); radio buttons are matched by their position in the group.
     An answer with letters the PDF's form font lacks (Vietnamese, Polish, Greek, Cyrillic …)
     is printed in a wider typeface (Noto Sans, macros/answer_font.py) embedded with fontkit;
     letters no typeface here has become "?", and the page says so.
   - "Print my answers" and "Erase my answers"; status messages in an aria-live region.

   The controls and words are in the page (macros/templates/web/resource.html), hidden until
   this script shows them: without JavaScript the page is the blank form and the PDF link. */
(function () {
  "use strict";
  var script = document.currentScript;
  var HERE = script ? script.src : location.href;
  var PDF_LIB_URL = new URL("pdf-lib.min.js", HERE).href;
  /* Loaded only for an answer the form font cannot print (macros/browser_assets.py). */
  var FONTKIT_URL = new URL("fontkit.min.js", HERE).href;
  var WIDE_FONT_URL = new URL("answer-font.ttf", HERE).href;
  /* How long the person waits for them (ms) before the PDF is made without them. */
  var WIDE_FONT_WAIT = 15000;
  var PREFIX = "wbl-toolkit.answers.v1:";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) && el.type !== "button" && el.type !== "submit";
    });
  }

  function storageKey(form, id) {
    var lang = (document.documentElement.lang || "en").toLowerCase();
    return PREFIX + lang + ":" + (id || form.getAttribute("data-tk-resource"));
  }

  /* The entry saved for this form: under its resource id or, if there is none, under one of
     its former ids (moved to the current id, so it is found there next time). */
  function loadSaved(store, form, key) {
    var raw = store.getItem(key);
    if (raw === null) {
      var former = (form.getAttribute("data-tk-former") || "").split(" ").filter(Boolean);
      for (var i = 0; i < former.length && raw === null; i++) {
        var old = storageKey(form, former[i]);
        raw = store.getItem(old);
        if (raw !== null) {
          try { store.setItem(key, raw); store.removeItem(old); } catch (e) { /* read-only: keep it where it is */ }
        }
      }
    }
    try { return JSON.parse(raw || "null"); } catch (e) { return null; }
  }

  /* A quota error: the browser keeps answers, but its room for this site is used up. */
  function isFull(e) {
    return Boolean(e) && (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED" || e.code === 22);
  }

  /* The device's storage for answers, or null when the browser keeps none (private mode,
     storage turned off). A full storage is still returned: saved answers can be read back,
     and saving says why it fails. */
  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return isFull(e) ? window.localStorage : null;
    }
  }

  /* {name: text | checked-radio value | true/false for a checkbox} */
  function collect(form) {
    var answers = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) answers[el.name] = el.value;
      } else if (el.type === "checkbox") {
        if (el.checked) answers[el.name] = true;
      } else if (el.value !== "") {
        answers[el.name] = el.value;
      }
    });
    return answers;
  }

  function apply(form, answers) {
    var count = 0;
    fields(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(answers, el.name)) return;
      var value = answers[el.name];
      if (el.type === "radio") {
        if (el.value === value) { el.checked = true; count++; }
      } else if (el.type === "checkbox") {
        el.checked = value === true;
        if (el.checked) count++;
      } else if (typeof value === "string") {
        el.value = value;
        count++;
      }
    });
    return count;
  }

  /* The global `name` a script of this site defines, loading the script once. */
  function loadScript(url, name) {
    if (window[name]) return Promise.resolve(window[name]);
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.onload = function () { window[name] ? resolve(window[name]) : reject(new Error(url + " defined no " + name)); };
      tag.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(tag);
    });
  }

  function loadPdfLib() { return loadScript(PDF_LIB_URL, "PDFLib"); }

  /* The wider typeface (a pdf-lib font, subset to the letters used when the PDF is saved) for
     answers the form font cannot print, or null when it cannot be had within WIDE_FONT_WAIT
     (offline: it is not kept for offline use); those answers then get "?", and the page
     says why. */
  function wideFont(P, doc) {
    var late = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("the answer font took over " + WIDE_FONT_WAIT + " ms")); }, WIDE_FONT_WAIT);
    });
    return Promise.race([late, Promise.all([loadScript(FONTKIT_URL, "fontkit"), fetch(WIDE_FONT_URL).then(function (r) {
      if (!r.ok) throw new Error(WIDE_FONT_URL + ": HTTP " + r.status);
      return r.arrayBuffer();
    })])]).then(function (got) {
      doc.registerFontkit(got[0]);
      return doc.embedFont(got[1], { subset: true });
    }).then(function (font) {
      var faces = font.embedder.font;
      var glyphs = {};   // code point -> fontkit glyph
      font.canEncode = function (ch) { return faces.hasGlyphForCodePoint(ch.codePointAt(0)); };
      // The font has no substitution or kerning tables (macros/answer_font.py), so fontkit's
      // layout of a text is its letters' glyphs one by one: read from a table instead, the
      // same glyphs and widths (pdf-lib lays a long answer out many times over: its whole
      // text measured at every size it tries, 2 to 3 times slower through fontkit's layout).
      faces.layout = function (text) {
        var out = [];
        for (var ch of text) {
          var cp = ch.codePointAt(0);
          out.push(glyphs[cp] || (glyphs[cp] = faces.glyphForCodePoint(cp)));
        }
        return { glyphs: out };
      };
      return font;
    }).catch(function (error) {
      if (window.console) console.warn(error);
      return null;
    });
  }

  /* The field's typeface from now on: `font` in its /DA (and in the form's /DR), so a viewer
     that lets the person edit the answer again uses a face that has its letters. */
  function setFieldFont(P, pdfForm, field, font) {
    var dr = pdfForm.acroForm.dict.lookupMaybe(P.PDFName.of("DR"), P.PDFDict);
    var fonts = dr && dr.lookupMaybe(P.PDFName.of("Font"), P.PDFDict);
    if (!fonts) return;
    fonts.set(P.PDFName.of(font.name), font.ref);
    var da = field.acroField.getDefaultAppearance() || "";
    field.acroField.setDefaultAppearance(da.replace(/\/[^\s/]+(\s+[\d.]+\s+Tf)/, "/" + font.name + "$1"));
  }

  /* A pdf-lib font object standing for the PDF's own form font (the embedded simple TrueType
     font, WinAnsi encoding, named in /AcroForm /DA; see macros/pdf_post.py), so the values'
     appearance streams use the same face as the blank PDF and no font is added. pdf-lib only
     makes fonts it embeds itself, so this borrows its WinAnsi encoder and answers widths and
     heights from the font's /Widths and /FontDescriptor. Returns null when there is none. */
  function formFont(P, doc) {
    var acro = doc.catalog.lookupMaybe(P.PDFName.of("AcroForm"), P.PDFDict);
    if (!acro) return null;
    var da = acro.lookupMaybe(P.PDFName.of("DA"), P.PDFString, P.PDFHexString);
    var dr = acro.lookupMaybe(P.PDFName.of("DR"), P.PDFDict);
    var fonts = dr && dr.lookupMaybe(P.PDFName.of("Font"), P.PDFDict);
    var match = da && /\/([^\s/]+)\s+[\d.]+\s+Tf/.exec(da.decodeText());
    if (!fonts || !match) return null;
    var ref = fonts.get(P.PDFName.of(match[1]));
    var dict = ref && doc.context.lookup(ref, P.PDFDict);
    if (!(ref instanceof P.PDFRef) || !dict) return null;
    var first = dict.lookup(P.PDFName.of("FirstChar"), P.PDFNumber).asNumber();
    var widths = dict.lookup(P.PDFName.of("Widths"), P.PDFArray).asArray().map(function (n) { return n.asNumber(); });
    var descriptor = dict.lookup(P.PDFName.of("FontDescriptor"), P.PDFDict);
    var ascent = descriptor.lookup(P.PDFName.of("Ascent"), P.PDFNumber).asNumber();
    var descent = descriptor.lookup(P.PDFName.of("Descent"), P.PDFNumber).asNumber();
    var embedder = P.StandardFontEmbedder.for(P.StandardFonts.Helvetica);
    var encoding = embedder.encoding;
    embedder.fontName = match[1];
    embedder.widthOfTextAtSize = function (text, size) {
      var total = 0;
      for (var i = 0; i < text.length; i++) {
        var code = encoding.encodeUnicodeCodePoint(text.codePointAt(i)).code;
        total += widths[code - first] || 0;
      }
      return (total / 1000) * size;
    };
    embedder.heightOfFontAtSize = function (size, options) {
      var height = options && options.descender === false ? ascent : ascent - descent;
      return (height / 1000) * size;
    };
    embedder.sizeOfFontAtHeight = function (height) { return (1000 * height) / (ascent - descent); };
    embedder.embedIntoContext = function () { return Promise.resolve(ref); };
    var font = P.PDFFont.of(ref, doc, embedder);
    font.alreadyEmbedded = true;
    // how far each letter reaches above and below the baseline (macros/pdf_post.py)
    var reach = ["TkAbove", "TkBelow"].map(function (key) {
      var list = dict.lookupMaybe(P.PDFName.of(key), P.PDFArray);
      return list ? list.asArray().map(function (n) { return n.asNumber(); }) : null;
    });
    if (reach[0] && reach[1]) {
      font.inkOf = function (text) {
        var up = 0, down = 0;
        for (var i = 0; i < text.length; i++) {
          if (!encoding.canEncodeUnicodeCodePoint(text.codePointAt(i))) continue;
          var at = encoding.encodeUnicodeCodePoint(text.codePointAt(i)).code - first;
          up = Math.max(up, reach[0][at] || 0);
          down = Math.max(down, reach[1][at] || 0);
        }
        return { above: up / 1000, below: down / 1000 };
      };
    }
    font.canEncode = function (ch) { return encoding.canEncodeUnicodeCodePoint(ch.codePointAt(0)); };
    return font;
  }

  /* An answer as it is printed: every line end as "\n" (also Unicode's line and paragraph
     separators), a tab as a space, letters composed (NFC: "e" + a combining accent is the
     one letter "é", which a font has as one glyph). */
  function answerText(value) {
    if (typeof value !== "string") return "";
    return value.replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n").replace(/\t/g, " ").normalize("NFC");
  }

  var GRAPHEMES = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function canPrint(font, text) {
    return Array.from(text).every(function (ch) { return font.canEncode(ch); });
  }

  /* `text` as `font` can print it: `{text, replaced}`. Each letter as the reader sees it (a
     grapheme: an emoji with its skin tone is one) that the font lacks is dropped if it is an
     invisible mark (a zero-width space, a byte order mark), else printed in its plain form
     if the font has that (Unicode NFKC: the ligature "ﬁ" as "fi", full-width letters), else
     as one "?"; `replaced` tells whether a "?" was put in. */
  function printable(font, text) {
    if (!font) return { text: text, replaced: false };
    var replaced = false;
    var parts = GRAPHEMES ? Array.from(GRAPHEMES.segment(text), function (s) { return s.segment; }) : Array.from(text);
    var out = parts.map(function (g) {
      if (g === "\n" || canPrint(font, g)) return g;
      if (/^\p{Cf}+$/u.test(g)) return "";
      var plain = g.normalize("NFKC");
      if (plain !== g && canPrint(font, plain)) return plain;
      replaced = true;
      return "?";
    }).join("");
    return { text: out, replaced: replaced };
  }

  /* The smallest type an answer is printed in to fit its box on paper (points). */
  var SMALLEST = 6;

  /* The box a field's text is laid out in on paper, as pdf-lib's appearance lays it out:
     the widget less its border and 1 pt of padding on each side (points). */
  function textBox(widget) {
    var rect = widget.getRectangle();
    var bs = widget.getBorderStyle();
    var edge = (bs ? bs.getWidth() : 0) + 1;
    return { edge: edge, width: rect.width - 2 * edge, height: rect.height - 2 * edge };
  }

  /* The type size in a field's /DA (points), or null. */
  function daSize(field) {
    var da = /([\d.]+)\s+Tf/.exec(field.acroField.getDefaultAppearance() || "");
    return da ? parseFloat(da[1]) : null;
  }

  /* `text` measured once for line breaking: its lines (at "\n"), each a list of words as
     `{at: offset in text, w: width at 1 pt with the space after it}`. */
  function measure(font, text) {
    var lines = [];
    var offset = 0;
    text.split("\n").forEach(function (line) {
      var words = line.split(" ");
      var at = offset;
      lines.push(words.map(function (word, i) {
        var one = { at: at, w: font.widthOfTextAtSize(i === words.length - 1 ? word : word + " ", 1) };
        at += word.length + 1;
        return one;
      }));
      offset += line.length + 1;
    });
    return lines;
  }

  /* Offsets in the text where its lines start, at `size` pt in a box `width` wide, counted
     as pdf-lib counts them when it picks a type size (each word with its following space; a
     word that reaches the edge starts the next line). pdf-lib's drawing fits at least as
     much on each line, so it never needs more lines than this. Linear in the text's length:
     pdf-lib's own layout takes time growing with its square (a pasted essay of 9,000
     letters: 15 s, and more on a phone). */
  function lineStarts(measured, width, size) {
    var starts = [];
    measured.forEach(function (words) {
      starts.push(words[0].at);
      var room = width;
      words.forEach(function (word) {
        room -= word.w * size;
        if (room <= 0) {
          starts.push(word.at);
          room = width - word.w * size;
        }
      });
    });
    return starts;
  }

  /* A multi-line answer box on paper is ruled: print.css draws a 1 px rule (RULE, points)
     at the bottom of each of its `rows` line slots, and the box's PDF rectangle is the
     textarea's content box, so the rules lie at every rectangle height / rows from its top.
     CLEAR is the least room kept between letters and a rule or the next line, DROP the room
     wanted between descenders and the rule under them (points). */
  var RULE = 0.75;
  var CLEAR = 0.15;
  var DROP = 0.6;

  /* How far the letters of `text` reach above and below the baseline at 1 pt: its letters'
     glyphs (the form font's /TkAbove and /TkBelow, macros/pdf_post.py; the wider typeface's
     outlines); else the font's ascent and descent. Linear in the text's length. */
  function ink(font, text) {
    if (font.inkOf) return font.inkOf(text);
    var faces = font.embedder && font.embedder.font;
    if (faces && faces.glyphForCodePoint && faces.unitsPerEm) {
      var up = 0, down = 0, seen = {};
      for (var ch of text) {
        var cp = ch.codePointAt(0);
        if (seen[cp] || !faces.hasGlyphForCodePoint(cp)) continue;   // a line end: no letter
        seen[cp] = true;
        var box = faces.glyphForCodePoint(cp).bbox;
        if (isFinite(box.maxY)) up = Math.max(up, box.maxY);
        if (isFinite(box.minY)) down = Math.max(down, -box.minY);
      }
      return { above: up / faces.unitsPerEm, below: down / faces.unitsPerEm };
    }
    var above = font.heightAtSize(1, { descender: false });
    return { above: above, below: font.heightAtSize(1) - above };
  }

  /* Where the lines of `text` go in a box `height` × `width` (points) whose `rows` line slots
     each end in a writing rule (rows 0: a box without rules, such as a table cell): the
     largest type, in half points from `own` down to SMALLEST, at which the lines fit, with
     each line resting just above a rule; when there are more lines than rules, `per` lines
     share each rule's slot evenly, every per-th just above its rule. Without rules the lines
     share the box evenly. Only whole lines are drawn (`shown`); `cut` when some are left out
     even in the smallest type. Linear in the text's length (measure, lineStarts). */
  function linesIn(font, text, height, width, rows, own) {
    var measured = measure(font, text);
    var reach = ink(font, text);
    var tall = reach.above + reach.below;
    var slots = rows || 1;
    var slot = height / slots;
    var rule = rows ? RULE : 0;
    function room(size) { return Math.floor(slot / (tall * size + rule + 2 * CLEAR) + 1e-9); }
    // a word longer than a line (a pasted link) runs past the box's edge unless small enough
    var longest = 0;
    measured.forEach(function (words) { words.forEach(function (word) { longest = Math.max(longest, word.w); }); });
    var size, starts, per;
    for (size = own; size >= SMALLEST; size -= 0.5) {
      starts = lineStarts(measured, width, size);
      per = Math.ceil(starts.length / slots);
      if (per <= room(size) && longest * size <= width) break;
    }
    var cut = size < SMALLEST;
    if (cut) {
      size = SMALLEST;
      starts = lineStarts(measured, width, size);
      per = Math.max(1, room(size));
    }
    var pitch = slot / per;
    var spare = pitch - tall * size - rule;
    var lift = rule + (rows ? Math.min(DROP, spare / 2) : spare / 2);
    return {
      size: size, starts: starts, shown: Math.min(starts.length, per * slots), cut: cut,
      baseline: function (i) { return height - (i + 1) * pitch + lift + reach.below * size; },
    };
  }

  /* An appearance provider drawing the lines `plan` (linesIn) lays out, left-aligned 1 pt in
     from the box's edge as pdf-lib draws them. The field's value keeps the whole answer. */
  function drawLines(P, text, plan, edge) {
    return function (f, widget, face) {
      var ops = [P.pushGraphicsState(), P.beginMarkedContent("Tx"), P.beginText(),
        P.setFillingColor(P.grayscale(0)), P.setFontAndSize(face.name, plan.size)];
      for (var i = 0; i < plan.shown; i++) {
        var line = text.slice(plan.starts[i], i + 1 < plan.starts.length ? plan.starts[i + 1] : text.length);
        ops.push(P.setTextMatrix(1, 0, 0, 1, edge, plan.baseline(i)), P.showText(face.encodeText(line.replace(/\s+$/, ""))));
      }
      ops.push(P.endText(), P.endMarkedContent(), P.popGraphicsState());
      return ops;
    };
  }

  /* Fits `text` in the field's box on paper (the page's box takes any length): sets the
     field's type size and returns `{cut, draw}`: whether some of it is left out, and the
     appearance provider to draw it with (undefined: pdf-lib's own). A multi-line box lays its
     lines on its `rows` writing rules (linesIn). A one-line box takes the largest size, down
     to SMALLEST, at which the letters' whole height fits its height (the PDF's own size is
     for viewers that place the line themselves) and the line its width; an answer too long
     for one line even then goes onto more lines if the box is tall enough for 2 of them in
     that type (a table cell), and the field becomes multi-line. */
  function fitText(P, field, font, text, rows) {
    var own = daSize(field);
    var widget = field.acroField.getWidgets()[0];
    var single = !field.isMultiline();
    if (!text || !own || !widget) return { cut: false, draw: single ? oneLine(P) : undefined };
    var box = textBox(widget);
    var height = widget.getRectangle().height;
    var plan;
    if (single) {
      // the letters' whole height in the box (oneLine), then the line's length
      var tall = Math.floor(2 * box.height / font.heightAtSize(1)) / 2;
      var wide = font.widthOfTextAtSize(text.replace(/\n/g, " "), 1);
      var fits = Math.min(own, tall, wide > 0 ? Math.floor(2 * box.width / wide) / 2 : own);
      var reach = ink(font, text);
      var two = 2 * ((reach.above + reach.below) * SMALLEST + 2 * CLEAR) <= height;
      if (fits >= SMALLEST || !two) {
        if (fits < own) field.setFontSize(Math.max(fits, SMALLEST));
        return { cut: fits < SMALLEST, draw: oneLine(P) };
      }
      plan = linesIn(font, text, height, box.width, 0, Math.min(own, tall));
      field.enableMultiline();
    } else {
      plan = linesIn(font, text, height, box.width, rows, own);
    }
    if (plan.size !== own) field.setFontSize(plan.size);
    return { cut: plan.cut, draw: drawLines(P, text, plan, box.edge) };
  }

  /* pdf-lib's appearance of a one-line answer, its line moved so that the letters' whole
     height (accents on capitals above the baseline, descenders below) is centred in the box:
     pdf-lib centres only the part above the baseline, which puts descenders under the box's
     lower edge, where they are cut off (a name's g and y). */
  function oneLine(P) {
    return function (f, widget, face) {
      var ops = P.defaultTextFieldAppearanceProvider(f, widget, face);
      var size = daSize(f);
      if (!size || !Array.isArray(ops)) return ops;
      var box = textBox(widget);
      var full = face.heightAtSize(size);
      var baseline = box.edge + (box.height - full) / 2 + (full - face.heightAtSize(size, { descender: false }));
      ops.forEach(function (op) {
        if (op.name === "Tm" && op.args.length === 6) op.args[5] = P.PDFNumber.of(baseline);
      });
      return ops;
    };
  }

  /* The page's print PDF with `answers` in its fields (an answer the form font cannot print
     in the wider typeface when `useWide` and it can be had); returns `{bytes, cut, replaced,
     fontMissing}`: the PDF bytes, the names of the fields whose answer is cut short in it, whether a letter
     became "?", whether that is because the wider typeface could not be had. */
  function fillPdf(P, bytes, form, answers, flatten, useWide) {
    var cut = [];
    var replaced = false;
    var needsWide = false;
    var doc, pdfForm, font, byName = {};
    return P.PDFDocument.load(bytes, { updateMetadata: false }).then(function (loaded) {
      doc = loaded;
      pdfForm = doc.getForm();
      font = formFont(P, doc);
      pdfForm.getFields().forEach(function (f) { byName[f.getName()] = f; });
      needsWide = Boolean(font) && Object.keys(byName).some(function (name) {
        return byName[name] instanceof P.PDFTextField && printable(font, answerText(answers[name])).replaced;
      });
      return needsWide && useWide ? wideFont(P, doc) : null;
    }).then(function (wide) {
      var radios = {};
      fields(form).forEach(function (el) {
        if (el.type === "radio") (radios[el.name] = radios[el.name] || []).push(el);
      });
      Object.keys(byName).forEach(function (name) {
        var field = byName[name];
        var value = answers[name];
        if (field instanceof P.PDFTextField) {
          var text = answerText(value);
          // the form font if it prints every letter, else the wider one if there is one
          var inForm = printable(font, text);
          var face = wide && inForm.replaced ? wide : font;
          var got = face === wide ? printable(wide, text) : inForm;
          var shown = got.text;
          replaced = replaced || got.replaced;
          field.setText(shown);
          if (face) {
            // the page's box of the same name: its rows are the box's ruled lines on paper
            var el = form.elements.namedItem(name);
            var rows = el && el.tagName === "TEXTAREA" && el.hasAttribute("rows") ? el.rows : 0;
            var fitted = fitText(P, field, face, shown, rows);
            if (fitted.cut) cut.push(name);
            field.updateAppearances(face, fitted.draw);
            if (face === wide) setFieldFont(P, pdfForm, field, wide);
          }
        } else if (field instanceof P.PDFCheckBox) {
          if (value === true) field.check(); else field.uncheck();
        } else if (field instanceof P.PDFRadioGroup) {
          // the PDF's buttons are in the same order as the page's (one template for both)
          var index = (radios[name] || []).findIndex(function (el) { return el.value === value; });
          var options = field.getOptions();
          if (index >= 0 && index < options.length) field.select(options[index]); else field.clear();
        }
      });
      // Every field now has its appearance (in the form font, or pdf-lib's when there is
      // none): viewers are to show those, not make their own. (Left asking for new ones, as
      // the blank PDF does, Poppler-based viewers drew no tick in a ticked box: their own
      // appearance needs a font in the box's /DA, which a check box has none of.)
      pdfForm.acroForm.dict.set(P.PDFName.of("NeedAppearances"), P.PDFBool.False);
      if (flatten) pdfForm.flatten({ updateFieldAppearances: !font });
      return doc.save({ updateFieldAppearances: !font }).then(function (saved) {
        return { bytes: saved, cut: cut, replaced: replaced, fontMissing: needsWide && !wide };
      });
    });
  }

  /* The words the page shows for field `name`: its label, or the name a screen reader says
     (a table cell's "Row 1, Tasks"). */
  function labelOf(form, name) {
    var el = form.elements.namedItem(name);
    if (el && !el.tagName) el = el[0];
    if (!el) return name;
    var label = el.labels && el.labels.length ? el.labels[0].textContent : el.getAttribute("aria-label") || name;
    return label.replace(/\s+/g, " ").trim();
  }

  function saveFile(bytes, name) {
    var url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function setUp(form) {
    if (!fields(form).length) return;
    var panel = form.parentNode.querySelector(".tk-answers");
    var note = form.parentNode.querySelector(".tk-answers-note");
    if (!panel) return;
    var words = JSON.parse(panel.getAttribute("data-tk-words") || "{}");
    var status = panel.querySelector(".tk-answers-status");
    var store = storage();
    var key = storageKey(form);
    var told = false;
    function say(text) { status.textContent = text; }

    if (!form.querySelector("textarea, input[type=text], input[type=radio]")) {
      // a checklist: its PDF has checkboxes only, and nothing to lock
      panel.querySelector(".tk-answers-flatten").hidden = true;
    }
    panel.hidden = false;
    if (note) note.hidden = false;

    var elsewhere = {};   // saved answers to fields this page no longer has: kept as they are
    if (!store) {
      say(words.no_storage);
    } else {
      var saved = loadSaved(store, form, key);
      if (saved && saved.answers && typeof saved.answers === "object") {
        var names = {};
        fields(form).forEach(function (el) { names[el.name] = true; });
        Object.keys(saved.answers).forEach(function (name) {
          if (!names[name]) elsewhere[name] = saved.answers[name];
        });
        if (apply(form, saved.answers)) say(words.restored);
      }
    }

    function save() {
      if (!store) return;
      var answers = Object.assign({}, elsewhere, collect(form));
      try {
        if (Object.keys(answers).length) {
          store.setItem(key, JSON.stringify({ saved: new Date().toISOString(), answers: answers }));
        } else {
          store.removeItem(key);
        }
      } catch (e) {
        say(isFull(e) ? words.storage_full : words.no_storage);
        return;
      }
      if (!told) { told = true; say(words.saving); }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-tk-action]");
      if (!button) return;
      var action = button.getAttribute("data-tk-action");
      if (action === "erase") {
        if (!window.confirm(words.erase_confirm)) return;
        form.reset();
        elsewhere = {};
        if (store) store.removeItem(key);
        told = false;
        say(words.erased);
      } else if (action === "print") {
        window.print();
      } else if (action === "download") {
        var flatten = panel.querySelector("[data-tk-option=flatten]").checked;
        button.disabled = true;
        say(words.working);
        var pdfUrl = new URL(form.getAttribute("data-tk-pdf"), location.href);
        var name = pdfUrl.pathname.split("/").pop().replace(/\.pdf$/i, "") + "-filled.pdf";
        Promise.all([loadPdfLib(), fetch(pdfUrl).then(function (r) {
          if (!r.ok) throw new Error(pdfUrl + ": HTTP " + r.status);
          return r.arrayBuffer();
        })]).then(function (got) {
          var answers = collect(form);
          return fillPdf(got[0], got[1], form, answers, flatten, true).catch(function (error) {
            // the wider typeface fetched but broken (a cut-off download): without it
            if (window.console) console.warn(error);
            return fillPdf(got[0], got[1], form, answers, flatten, false);
          });
        }).then(function (made) {
          saveFile(made.bytes, name);
          var letters = made.fontMissing ? words.font_missing : made.replaced ? words.replaced : "";
          var cut = made.cut.length ? words.cut.replace("{answers}", made.cut.map(function (n) { return labelOf(form, n); }).join("; ")) : "";
          say([words.done, cut, letters].filter(Boolean).join(" "));
        }).catch(function (error) {
          if (window.console) console.error(error);
          say(words.failed);
        }).then(function () { button.disabled = false; });
      }
    });
  }

  /* The browser's print of the page ("Print my answers"): a one-line text box prints one
     line, scrolled to its start, so a long answer was cut off on paper. Just before printing,
     each answered one-line box gets a copy of its whole answer beside it, which the print
     stylesheet shows, wrapped, in the box's place (forms.css); removed after printing. */
  function beforePrint() {
    Array.prototype.forEach.call(document.querySelectorAll("form.tk-form input[type=text]"), function (el) {
      if (!el.value.trim()) return;
      var copy = document.createElement("span");
      copy.className = "tk-print-whole";
      copy.setAttribute("aria-hidden", "true");
      copy.textContent = el.value;
      el.classList.add("tk-print-copied");
      el.insertAdjacentElement("afterend", copy);
    });
  }

  function afterPrint() {
    Array.prototype.forEach.call(document.querySelectorAll(".tk-print-whole"), function (el) { el.remove(); });
    Array.prototype.forEach.call(document.querySelectorAll(".tk-print-copied"), function (el) { el.classList.remove("tk-print-copied"); });
  }

  window.addEventListener("beforeprint", function () { afterPrint(); beforePrint(); });
  window.addEventListener("afterprint", afterPrint);
  Array.prototype.forEach.call(document.querySelectorAll("form.tk-form[data-tk-resource]"), setUp);
})();
