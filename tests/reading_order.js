// Where the letters of left-to-right runs land on a right-to-left page, measured in the
// browser's layout (tests/test_bidi_browser.py). Returns {runs, phones, problems}.
//
// A run is found in the text, not in the markup: in each block laid out right to left,
// a stretch of Latin words, digits and the punctuation between them (an address, an
// e-mail, a URL, "9 h – 11 h") holding a Latin letter, or one number written in groups
// ("01 99 00 11 20"). Its characters must land left to right on each line, its lines one
// under the other; a phone number (a tel: link, a number in groups) on a single line.
() => {
  const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/;
  const LATIN = /[A-Za-z\u00c0-\u024f]/;
  const DIGIT = /[0-9]/;
  const GROUPED = /^\+?[0-9]+(?:[ \u00a0\u202f][0-9]+)+$/;
  // Sentence punctuation at the ends of a run belongs to the sentence around it.
  const EDGE = /^[\s.,;:!?"'«»()\[\]\u060c\u061b\u061f\u2013\u2014-]+|[\s.,;:!?"'«»()\[\]\u060c\u061b\u061f\u2013\u2014-]+$/g;
  const blocks = new Map();  // block element -> its text nodes, in order
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let block = node.parentElement;
    while (block && !/^(block|list-item|table-cell|flex|grid)$/.test(getComputedStyle(block).display)) {
      block = block.parentElement;
    }
    if (!block || getComputedStyle(block).direction !== "rtl") continue;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block).push(node);
  }
  const result = {runs: [], phones: [], problems: []};
  const box = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    return rects.length ? rects[0] : null;
  };
  const where = (node) => (node.parentElement.closest("[id]") || {}).id || node.parentElement.tagName;
  // Checks one run: characters [from, to) of the block's text.
  const check = (text, places, from, to, oneLine) => {
    const run = text.slice(from, to);
    let last = null, lines = 1;
    for (let i = from; i < to; i++) {
      if (/\s/.test(text[i])) continue;
      const [node, offset] = places[i];
      const r = box(node, offset);
      if (!r) continue;  // not shown (hidden, collapsed)
      if (last) {
        const sameLine = Math.abs((r.top + r.bottom) / 2 - (last.top + last.bottom) / 2) < Math.min(r.height, last.height) / 2;
        if (sameLine && (r.left + r.right) / 2 <= (last.left + last.right) / 2) {
          result.problems.push(`"${run}" (near #${where(node)}): "${text[i]}" lands left of what comes before it`);
          return;
        }
        if (!sameLine) {
          if (r.top < last.bottom - 1) {
            result.problems.push(`"${run}" (near #${where(node)}): "${text[i]}" lands on a line above`);
            return;
          }
          lines += 1;
        }
      }
      last = r;
    }
    if (!last) return;  // nothing of it shown
    result.runs.push(run);
    if (oneLine) {
      result.phones.push(run);
      if (lines > 1) result.problems.push(`phone number "${run}" breaks over ${lines} lines`);
    }
  };
  for (const [block, nodes] of blocks) {
    let text = "";
    const places = [];  // for each character of text: [node, offset]
    for (const node of nodes) {
      for (let i = 0; i < node.data.length; i++) places.push([node, i]);
      text += node.data;
    }
    // Cut the text at right-to-left letters; each piece, less its edges, is a candidate.
    const pieces = text.split(/([\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]+)/);
    let at = 0;
    for (const piece of pieces) {
      const start = at;
      at += piece.length;
      if (RTL.test(piece)) continue;
      // Runs of one piece: words of Latin letters or digits and what is between them.
      const runs = piece.matchAll(/[^\s]*[A-Za-z\u00c0-\u024f0-9][^\s]*(?:\s+[^\s]*[A-Za-z\u00c0-\u024f0-9][^\s]*|\s+[^\sA-Za-z\u00c0-\u024f0-9]+(?=\s+[^\s]*[A-Za-z\u00c0-\u024f0-9]))*/g);
      for (const found of runs) {
        const raw = found[0];
        const trimmed = raw.replace(EDGE, "");
        if (!trimmed) continue;
        const from = start + found.index + raw.indexOf(trimmed);
        let to = from + trimmed.length;
        const count = (c) => text.slice(from, to).split(c).length;
        while (text[to] === ")" && count("(") > count(")")) to += 1;  // "Saint-Jean (Loiret)"
        const grouped = GROUPED.test(trimmed);
        if (LATIN.test(trimmed) || grouped) check(text, places, from, to, grouped);
      }
    }
  }
  // Every tel: link's number on one line, wherever it is.
  for (const link of document.querySelectorAll('a[href^="tel:"]')) {
    const number = link.querySelector("[dir]") || link;
    const range = document.createRange();
    range.selectNodeContents(number);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size === 0) continue;
    result.phones.push(number.textContent);
    if (tops.size > 1) result.problems.push(`phone number "${number.textContent}" breaks over ${tops.size} lines`);
  }
  return result;
}
