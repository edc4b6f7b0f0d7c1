// Where the letters of left-to-right runs land on a right-to-left page, measured in the
// browser's layout (tests/test_bidi_browser.py). Returns {runs, phones, problems}.
//
// A run is found in the text, not in the markup: in each block laid out right to left,
// what lies between two right-to-left letters, from its first left-to-right letter to its
// last (an address, a name, an e-mail, a URL, "9 h – 11 h"), with the numbers joined to
// those words ("8 rue de", "iela 8", not the "15" of "15 (SAMU)"); or one number written
// in groups ("01 99 00 11 20"). Digits alone ("9–11") follow the reader's order and are
// not runs. A run's characters must land left to right on each line, its lines one under
// the other; a phone number (a tel: link, a number in groups) on a single line.
() => {
  // Right-to-left letters (not their digits), and the Arabic comma and question mark.
  const RTL_CLASS = "(?:(?!\\p{Nd})[\\p{Script=Arabic}\\p{Script=Hebrew}\\p{Script=Syriac}\\p{Script=Thaana}\\p{Script=Nko}]|[\\u060c\\u061b\\u061f])";
  const RTL_LETTERS = new RegExp(`(${RTL_CLASS}+)`, "u");
  const RTL_LETTERS_ONE = new RegExp(RTL_CLASS, "u");
  const LETTER = /\p{L}/u;
  const ALNUM = /[\p{L}\p{Nd}]/gu;
  const NUMBER_PART = /^[\p{Nd}\s.,:\/+-]*$/u;
  const GROUPED = /^\+?\p{Nd}+(?:[ \u00a0\u202f]\p{Nd}+)+$/u;
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
    // Cut the text at right-to-left letters; what is between is a candidate run, from its
    // first letter to its last, with the numbers joined to those words ("8 rue de", "iela 8").
    const pieces = text.split(RTL_LETTERS);
    let at = 0;
    for (const piece of pieces) {
      const start = at;
      at += piece.length;
      if (RTL_LETTERS_ONE.test(piece)) continue;
      const first = piece.search(LETTER);
      const edges = [...piece.matchAll(ALNUM)];
      if (!edges.length) continue;
      let from = edges[0].index, to = edges[edges.length - 1].index + 1;
      if (first < 0) {  // digits alone: only a number in groups must read left to right
        if (from > 0 && piece[from - 1] === "+") from -= 1;
        if (GROUPED.test(piece.slice(from, to))) check(text, places, start + from, start + to, true);
        continue;
      }
      let last = piece.length - 1;
      while (!LETTER.test(piece[last])) last -= 1;
      if (!NUMBER_PART.test(piece.slice(from, first))) from = first;
      if (!NUMBER_PART.test(piece.slice(last + 1, to))) to = last + 1;
      const count = (c) => piece.slice(from, to).split(c).length;
      while (piece[to] === "/" || piece[to] === ")" && count("(") > count(")")) to += 1;  // "example.org/", "(Loiret)"
      while (piece[from - 1] === "(" && count(")") > count("(")) from -= 1;
      check(text, places, start + from, start + to, false);
    }
  }
  // Every tel: link's number on one line, wherever it is (a "Call" button names no number).
  for (const link of document.querySelectorAll('a[href^="tel:"]')) {
    const number = link.querySelector("[dir]") || link;
    if (!/\d/.test(number.textContent)) continue;
    const range = document.createRange();
    range.selectNodeContents(number);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size === 0) continue;
    result.phones.push(number.textContent);
    if (tops.size > 1) result.problems.push(`phone number "${number.textContent}" breaks over ${tops.size} lines`);
  }
  return result;
}
