// Debian's Chromium, the one browser this kit uses because no browser download works here: where it
// lives and how to start it on a closed network, for the HTML self-test and the README screenshot.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Says how to get Chromium when it is missing; undefined when it is installed. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `no ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) to run the HTML matrix test`;
}

/** Starts headless Chromium with the flags that keep it off the network and out of the sandbox root refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
