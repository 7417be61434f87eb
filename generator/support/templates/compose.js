// Run in headless Chromium on the first page of a built site (generator/support/pdf.py,
// print_composed): fetch the pages to print, in order, and put their articles into this one
// document, so the PDF has one page numbering, one outline and links that stay inside it.
//  - every id gets its page's prefix (p3-<id>), so anchors of different pages cannot clash;
//  - a link to a page (or an anchor) that is printed becomes a link inside the document;
//  - any other link to this site becomes the published page (`published` + path), never the
//    address of the local server that printed it;
//  - cells that ask for a value the caller knows (data-kb-context="client") are filled in.
async ({ pages, published, fill, title }) => {
  const here = (path) => new URL(path, document.baseURI);
  const key = (url) => url.pathname.replace(/index\.html$/, "");
  const number = new Map(pages.map((path, n) => [key(here(path)), n]));
  const parts = [];
  for (const [n, path] of pages.entries()) {
    const url = here(path);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = doc.querySelector("article.md-content__inner");
    if (!article) throw new Error(`${path}: no article`);
    article.querySelectorAll(".headerlink, .md-content__button, script").forEach((el) => el.remove());
    article.querySelectorAll("[id]").forEach((el) => { el.id = `p${n}-${el.id}`; });
    article.querySelectorAll("label[for]").forEach((el) => { el.htmlFor = `p${n}-${el.htmlFor}`; });
    article.querySelectorAll("a[href]").forEach((a) => {
      const target = new URL(a.getAttribute("href"), url);
      if (target.origin !== url.origin) return;
      const m = number.get(key(target));
      if (m === undefined) {
        a.href = published + key(target).replace(/^\//, "") + target.hash;
      } else {
        a.href = target.hash ? `#p${m}-${decodeURIComponent(target.hash.slice(1))}` : `#part-${m}`;
      }
      a.removeAttribute("download");
    });
    for (const [name, value] of Object.entries(fill)) {
      article.querySelectorAll(`[data-kb-context="${name}"]`).forEach((cell) => { cell.textContent = value; });
    }
    const part = doc.createElement("section");
    part.className = "kb-pack-part";
    part.id = `part-${n}`;
    part.append(...article.childNodes);
    parts.push(part);
  }
  const article = document.createElement("article");
  article.className = "md-content__inner md-typeset kb-pack-print";
  article.append(...parts.map((part) => document.importNode(part, true)));
  const content = document.createElement("div");
  content.className = "md-content";
  content.append(article);
  document.body.replaceChildren(content);
  document.title = title;
  // The outline's titles as the headings read (Chromium takes them from the laid-out lines,
  // which loses the space where a heading wraps).
  return [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => h.textContent.replace(/\s+/g, " ").trim());
}
