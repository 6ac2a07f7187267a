import { useState, type FormEvent } from 'react';

/** A policy's value as the API reports it: what is in force, and whether it is the platform's default. */
export interface OverrideValue<T> {
  value: T;
  inherited: boolean;
}

/** What an admin asks for: a value of the workspace's own (or the default's), or back to the default. */
export type OverrideChange<T> = { value: T } | 'DEFAULT';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** How one policy reads and writes the editor's text; pure, so it is tested apart from any screen. */
export interface OverrideFormat<T> {
  /** The input's text for what is in force (e.g. '' for "no cap"). */
  toText(current: OverrideValue<T>): string;
  /** The text as a value, or what is wrong with it (shown beside the input; nothing is sent). */
  parse(text: string): Parsed<T>;
  /** The success notice after a save. */
  savedMessage(saved: OverrideValue<T>, change: OverrideChange<T>): string;
}

export interface OverrideEditorOptions<T> {
  current: OverrideValue<T>;
  format: OverrideFormat<T>;
  /** Sends the change (the policy's mutation) and returns what is in force now; throws (or returns null) when it failed. */
  save(change: OverrideChange<T>): Promise<OverrideValue<T> | null>;
}

/**
 * The state of one per-workspace policy editor (a platform default plus per-workspace overrides): the input's
 * text, its validation, save and "use the default", and the outcome. The policy brings its format and mutation;
 * `OverrideEditor` renders it.
 */
export function useOverrideEditor<T>({ current, format, save }: OverrideEditorOptions<T>) {
  const [text, setTextValue] = useState(() => format.toText(current));
  const [inputError, setInputError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  // When what is in force changes (a save here, a refetch, another admin), the input shows it afresh.
  const signature = JSON.stringify(current);
  const [shown, setShown] = useState(signature);
  if (shown !== signature) {
    setShown(signature);
    setTextValue(format.toText(current));
    setInputError(null);
  }

  const setText = (next: string) => {
    setTextValue(next);
    setInputError(null);
  };

  const send = async (change: OverrideChange<T>) => {
    setMessage(null);
    setError(null);
    setSaving(true);
    try {
      const saved = await save(change);
      if (saved) {
        setTextValue(format.toText(saved));
        setMessage(format.savedMessage(saved, change));
      }
    } catch (caught: unknown) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = format.parse(text);
    if (!parsed.ok) {
      setMessage(null);
      setError(null);
      setInputError(parsed.message);
      return;
    }
    await send({ value: parsed.value });
  };

  const backToDefault = () => send('DEFAULT');

  return { text, setText, inputError, submit, backToDefault, saving, error, message };
}

export type OverrideEditorState = ReturnType<typeof useOverrideEditor>;
