/**
 * Light and dark themes: the system's preference (prefers-color-scheme) unless the user picked
 * one with the toggle, which is remembered. The choice is `data-theme` on <html>; style.css
 * holds both palettes.
 */
const KEY = 'sluice.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

export const currentTheme = (): 'light' | 'dark' => {
  const set = document.documentElement.dataset.theme;
  return set === 'light' || set === 'dark' ? set : media.matches ? 'dark' : 'light';
};

export function initTheme(button: HTMLButtonElement): void {
  const show = () => {
    const dark = currentTheme() === 'dark';
    button.setAttribute('aria-pressed', String(dark));
    button.textContent = dark ? '☀ Light theme' : '☾ Dark theme';
    button.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme');
  };
  button.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    show();
    window.dispatchEvent(new Event('sluice:theme'));
  });
  media.addEventListener('change', show);
  show();
}
