// The print page's "Print" button (no inline script: the CSP allows script-src 'self' only).
document.getElementById("report-print")?.addEventListener("click", () => window.print());
