/**
 * Nickname colours are chosen by the users (any #rrggbb): navy is unreadable on the dark theme and
 * yellow on the light one. Each is shown with its hue and saturation but a lightness moved just as
 * far as needed for a WCAG contrast of 4.5:1 against the chat's background in each theme.
 */

// The chat panel's background (--surface in styles.css) in each theme.
const LIGHT_SURFACE: Rgb = [0xff, 0xff, 0xff];
const DARK_SURFACE: Rgb = [0x1b, 0x1b, 0x22];
const MIN_CONTRAST = 4.5;

type Rgb = [number, number, number];

function parseHex(color: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return null;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function toHsl([r, g, b]: Rgb): [number, number, number] {
  const [rr, gg, bb] = [r / 255, g / 255, b / 255];
  const max = Math.max(rr, gg, bb);
  const min = Math.min(rr, gg, bb);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rr ? (gg - bb) / d + (gg < bb ? 6 : 0) : max === gg ? (bb - rr) / d + 2 : (rr - gg) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h: number, s: number, l: number): Rgb {
  if (s === 0) {
    const v = Math.round(l * 255);
    return [v, v, v];
  }
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = (t: number) => {
    const x = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return [Math.round(hue(h + 1 / 3) * 255), Math.round(hue(h) * 255), Math.round(hue(h - 1 / 3) * 255)];
}

function hex([r, g, b]: Rgb): string {
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

/** The colour, darkened (light theme) or lightened (dark theme) in small steps until it reads well. */
function readableOn(color: Rgb, surface: Rgb): Rgb {
  if (contrast(color, surface) >= MIN_CONTRAST) return color;
  const [h, s, l0] = toHsl(color);
  const step = luminance(surface) > 0.5 ? -0.02 : 0.02;
  for (let l = l0 + step; l >= 0 && l <= 1; l += step) {
    const candidate = fromHsl(h, s, l);
    if (contrast(candidate, surface) >= MIN_CONTRAST) return candidate;
  }
  return step < 0 ? [0, 0, 0] : [255, 255, 255];
}

const cache = new Map<string, { light: string; dark: string }>();

/** The nickname colour to show in each theme; an unparsable colour falls back to the text colour. */
export function nickColors(color: string): { light: string; dark: string } {
  let known = cache.get(color);
  if (!known) {
    const rgb = parseHex(color);
    known = rgb ? { light: hex(readableOn(rgb, LIGHT_SURFACE)), dark: hex(readableOn(rgb, DARK_SURFACE)) } : { light: "inherit", dark: "inherit" };
    cache.set(color, known);
  }
  return known;
}
