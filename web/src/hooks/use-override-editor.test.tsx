import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useOverrideEditor, type OverrideChange, type OverrideFormat, type OverrideValue } from './use-override-editor';

// A made-up policy: a whole number, empty = none.
const format: OverrideFormat<number | null> = {
  toText: ({ value }) => (value === null ? '' : String(value)),
  parse: (text) =>
    text.trim() === ''
      ? { ok: true, value: null }
      : /^\d+$/.test(text.trim())
        ? { ok: true, value: Number(text.trim()) }
        : { ok: false, message: 'Whole numbers only.' },
  savedMessage: (saved, change) => (change === 'DEFAULT' ? `Default: ${saved.value}.` : `Saved: ${saved.value}.`),
};

type Save = (change: OverrideChange<number | null>) => Promise<OverrideValue<number | null> | null>;

function render(current: OverrideValue<number | null>, save: Save) {
  return renderHook((props: { current: OverrideValue<number | null> }) => useOverrideEditor({ current: props.current, format, save }), {
    initialProps: { current },
  });
}

describe('useOverrideEditor', () => {
  it('starts from what is in force', () => {
    const { result } = render({ value: 7, inherited: true }, vi.fn());
    expect(result.current.text).toBe('7');
    expect(result.current.saving).toBe(false);
  });

  it('refuses text the policy cannot read, sends nothing, and clears the complaint on the next keystroke', async () => {
    const save = vi.fn<Save>();
    const { result } = render({ value: null, inherited: true }, save);
    act(() => result.current.setText('twelve'));
    await act(() => result.current.submit());
    expect(result.current.inputError).toBe('Whole numbers only.');
    expect(save).not.toHaveBeenCalled();
    expect(result.current.message).toBeNull();
    act(() => result.current.setText('12'));
    expect(result.current.inputError).toBeNull();
  });

  it('saves the parsed value, is busy until the answer, then shows what the server kept', async () => {
    let answer: (value: OverrideValue<number | null>) => void = () => undefined;
    const save = vi.fn<Save>(() => new Promise((resolve) => (answer = resolve)));
    const { result } = render({ value: null, inherited: true }, save);
    act(() => result.current.setText(' 12 '));
    let done: Promise<void> = Promise.resolve();
    act(() => {
      done = result.current.submit();
    });
    expect(save).toHaveBeenCalledWith({ value: 12 });
    expect(result.current.saving).toBe(true);
    await act(async () => {
      answer({ value: 12, inherited: false });
      await done;
    });
    expect(result.current.saving).toBe(false);
    expect(result.current.text).toBe('12');
    expect(result.current.message).toBe('Saved: 12.');
    expect(result.current.error).toBeNull();
  });

  it('goes back to the default and shows the default now in force', async () => {
    const save = vi.fn<Save>(async () => ({ value: 5, inherited: true }));
    const { result } = render({ value: 12, inherited: false }, save);
    await act(() => result.current.backToDefault());
    expect(save).toHaveBeenCalledWith('DEFAULT');
    expect(result.current.text).toBe('5');
    expect(result.current.message).toBe('Default: 5.');
  });

  it('keeps a failure as the error, with no success notice and the text as typed', async () => {
    const failure = new Error('refused');
    const save = vi.fn<Save>(async () => {
      throw failure;
    });
    const { result } = render({ value: 3, inherited: false }, save);
    act(() => result.current.setText('4'));
    await act(() => result.current.submit());
    expect(result.current.error).toBe(failure);
    expect(result.current.message).toBeNull();
    expect(result.current.saving).toBe(false);
    expect(result.current.text).toBe('4');
  });

  it('shows a value changed elsewhere (a refetch) in the input', () => {
    const { result, rerender } = render({ value: 3, inherited: false }, vi.fn());
    act(() => result.current.setText('9'));
    rerender({ current: { value: 8, inherited: true } });
    expect(result.current.text).toBe('8');
  });
});
