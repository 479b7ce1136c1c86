// Debian's Chromium, driven by playwright-core: nothing downloads a browser of its own.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { OUT } from './ebb.mjs';

export const CHROMIUM = process.env.EBB_E2E_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set EBB_E2E_CHROMIUM to another binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

let shot = 0;

/** Saves what the page shows now under e2e/target/screenshots, numbered in the order taken. */
export async function screenshot(page, name) {
  const dir = join(OUT, 'screenshots');
  mkdirSync(dir, { recursive: true });
  shot += 1;
  const file = join(dir, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
