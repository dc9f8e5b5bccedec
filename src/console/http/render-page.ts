import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A page as a whole HTML document; every value in it was escaped by hono/jsx. */
export async function renderPage(
  context: Context,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 415 | 422 | 500 = 200,
): Promise<Response> {
  return context.html(`<!doctype html>${await page}`, status);
}
