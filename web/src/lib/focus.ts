/**
 * Gives the keyboard focus back after a dialog or an inline form closes (Cancel/Save): to the element that opened
 * it when it is still there and enabled, else to its card (`section`, `form`, `main`), never to `<body>`.
 */
export function returnFocus(opener: HTMLElement | null, card: HTMLElement | null = null): void {
  if (opener && opener.isConnected && !(opener as HTMLButtonElement).disabled) {
    opener.focus();
    return;
  }
  const near = card?.isConnected ? card : opener?.closest<HTMLElement>('section, form, main');
  const target = near?.isConnected ? near : document.querySelector<HTMLElement>('main');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}

/** After an action that may remove or disable the focused control, keeps the focus inside the card. */
export function keepFocusIn(card: HTMLElement | null): void {
  window.setTimeout(() => {
    const active = document.activeElement;
    if (!active || active === document.body || (active as HTMLButtonElement).disabled) returnFocus(null, card);
  }, 0);
}
