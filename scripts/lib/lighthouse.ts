// Lighthouse 12 (pinned, ESM) in Debian's Chromium, launched by chrome-launcher, for bench:web.
import * as fs from 'node:fs';

import { chromium } from 'playwright-core';

import { signIn } from './web-stack';

/** A real dynamic import: tsc (CommonJS output) would turn `import()` into require(), which cannot load ESM. */
const importEsm = new Function('m', 'return import(m)') as <T>(m: string) => Promise<T>;

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** headless, as root without the sandbox, no GPU (a server), nothing started in the background */
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
];

interface Audit {
  numericValue?: number;
}
interface LighthouseResult {
  lhr: {
    lighthouseVersion: string;
    categories: { performance: { score: number | null } };
    audits: Record<string, Audit>;
    runtimeError?: { message: string };
  };
}
type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult | undefined>;
interface LaunchedChrome {
  port: number;
  kill(): void;
}

export interface PerformanceScore {
  version: string;
  /** 0–100 */
  score: number;
  /** ms; CLS unitless */
  fcp: number;
  lcp: number;
  tbt: number;
  si: number;
  cls: number;
}

export interface LighthouseSession {
  /**
   * Lighthouse's mobile performance of `url`: default mobile config (Moto G Power, simulated slow 4G), cold cache.
   * `reportFile`: the whole report (JSON: LCP element, long tasks, request chains…) is also written there.
   */
  mobilePerformance(url: string, reportFile?: string): Promise<PerformanceScore>;
  close(): Promise<void>;
}

/**
 * Chromium with a signed-in session (the login form, as a user: the session in localStorage and the refresh
 * cookie), for Lighthouse runs. Lighthouse clears the HTTP cache before each run but keeps cookies and
 * localStorage (its default clearStorageTypes), so every run is cold and signed in.
 */
export async function lighthouseSession(
  baseUrl: string,
  user: { email: string; password: string },
): Promise<LighthouseSession> {
  const { launch } = await importEsm<{ launch(o: object): Promise<LaunchedChrome> }>('chrome-launcher');
  const { default: lighthouse } = await importEsm<{ default: Lighthouse }>('lighthouse');
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: FLAGS, logLevel: 'error' });
  try {
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const page = await browser.contexts()[0].newPage();
    await signIn(page, baseUrl, user);
    await page.close();
    await browser.close(); // disconnects; the browser goes on for Lighthouse
  } catch (e) {
    chrome.kill();
    throw e;
  }
  return {
    async mobilePerformance(url, reportFile) {
      const r = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
      });
      if (!r) throw new Error(`Lighthouse returned nothing for ${url}`);
      const { lhr } = r;
      if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(lhr));
      if (lhr.runtimeError || lhr.categories.performance.score === null)
        throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError?.message ?? 'no score'}`);
      const v = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      return {
        version: lhr.lighthouseVersion,
        score: Math.round(lhr.categories.performance.score * 100),
        fcp: v('first-contentful-paint'),
        lcp: v('largest-contentful-paint'),
        tbt: v('total-blocking-time'),
        si: v('speed-index'),
        cls: v('cumulative-layout-shift'),
      };
    },
    async close() {
      chrome.kill();
    },
  };
}
