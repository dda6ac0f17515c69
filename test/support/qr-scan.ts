/**
 * Reads a QR code shown in a page as a phone camera would: the <svg> is rasterised by Chromium on a
 * blank page (no CSP), and the pixels are decoded by a second, independent QR library (paulmillr's qr).
 */

import type { Browser, Locator } from "playwright-core";
import decodeQR from "qr/decode.js";

const PIXELS = 400;

export async function scanQrCode(browser: Browser, svg: Locator): Promise<string> {
  const markup = await svg.evaluate((el, size) => {
    const copy = el.cloneNode(true) as SVGElement;
    copy.setAttribute("width", String(size));
    copy.setAttribute("height", String(size));
    return new XMLSerializer().serializeToString(copy);
  }, PIXELS);
  const page = await browser.newPage();
  try {
    const image = await page.evaluate(
      async ({ markup, size }) => {
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = size;
        canvas.height = size;
        const ctx = canvas.getContext("2d");
        if (!ctx) throw new Error("no 2d canvas");
        ctx.drawImage(img, 0, 0, size, size);
        // One byte a pixel (its red channel; the code is black on white), as base64: a large
        // array would take seconds to cross the DevTools protocol as JSON.
        const rgba = ctx.getImageData(0, 0, size, size).data;
        let bytes = "";
        for (let i = 0; i < rgba.length; i += 4) bytes += String.fromCharCode(rgba[i] as number);
        return btoa(bytes);
      },
      { markup, size: PIXELS },
    );
    const grey = Buffer.from(image, "base64");
    const data = new Uint8Array(grey.length * 4);
    for (let i = 0; i < grey.length; i++) {
      const v = grey[i] as number;
      data.set([v, v, v, 255], i * 4);
    }
    return decodeQR({ width: PIXELS, height: PIXELS, data });
  } finally {
    await page.close();
  }
}
