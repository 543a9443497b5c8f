// What a person would notice, measured in the page: sideways scroll, the share of the
// screen the two bars keep, interactive elements smaller than 44 × 44 CSS px, dates
// (<time>) broken over two lines, and bottom-bar labels that run into each other.
// Links inside running text are exempt, as WCAG 2.5.8 exempts them: their size is
// the sentence's line height. Used by test_large_text_and_a11y.py.
() => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.left < innerWidth;
  };
  const inRunningText = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, td, th, label, figcaption, blockquote, footer, div');
    if (!block) return false;
    const own = (el.textContent || '').trim().length;
    const all = (block.textContent || '').replace(/\s+/g, ' ').trim().length;
    return all > own + 3;
  };
  const box = (el) => {
    let r = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      // The label takes the tap too: the larger of the two is the target.
      for (const label of el.labels || []) {
        const l = label.getBoundingClientRect();
        if (l.width * l.height > r.width * r.height) r = l;
      }
    }
    return r;
  };
  const small = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || el.closest('.skip-link, [hidden]') || inRunningText(el)) continue;
    const r = box(el);
    if (r.width < 43.5 || r.height < 43.5) {
      const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().replace(/\s+/g, ' ');
      small.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} "${text.slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  const height = (sel) => {
    const el = document.querySelector(sel);
    return el && visible(el) ? el.getBoundingClientRect().height : 0;
  };
  // What sticks out on the right, unless a box that scrolls sideways by itself holds it.
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 1 && visible(el) && !scrolls(el)) {
      wide.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ${Math.round(r.right)}`);
    }
  }
  // A <time> (2026-11-03, 2026-11-03 14:00) split over two lines, at its hyphen.
  const splitDates = [];
  for (const el of document.querySelectorAll('time')) {
    if (!visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (tops.size > 1) splitDates.push(`time "${el.textContent.trim()}" in ${el.parentElement.tagName.toLowerCase()}`);
  }
  // Bottom-bar labels that come within 8 px of their neighbour on the same line, where
  // two tabs' words read as one phrase ("community opinions").
  const closeLabels = [];
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()].filter((r) => r.width > 0);
  };
  const labels = [...document.querySelectorAll('.bottom-nav__label')].filter(visible);
  for (let i = 0; i + 1 < labels.length; i++) {
    for (const a of lines(labels[i])) {
      for (const b of lines(labels[i + 1])) {
        const sameLine = a.top < b.bottom && b.top < a.bottom;
        if (sameLine && b.left - a.right < 8) {
          closeLabels.push(`"${labels[i].textContent.trim()}" | "${labels[i + 1].textContent.trim()}" ${Math.round(b.left - a.right)} px`);
        }
      }
    }
  }
  return {
    splitDates: splitDates.slice(0, 8),
    closeLabels: closeLabels,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: innerWidth,
    innerHeight: innerHeight,
    bars: height('.site-header') + height('.bottom-nav'),
    rootFont: parseFloat(getComputedStyle(document.documentElement).fontSize),
    small: small,
    wide: wide.slice(0, 8),
  };
}
