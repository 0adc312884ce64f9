import { useId, useState } from 'react'
import { NumberField, SettingsSection } from './SettingsFields'
import { useSectionForm } from './use-section'

export const SPELLCHECK_LANGUAGES = [
  { code: 'en-US', name: 'English (United States)' },
  { code: 'en-GB', name: 'English (United Kingdom)' },
  { code: 'en-AU', name: 'English (Australia)' },
] as const

/** The report text's size, spell-check languages and the person's own words (one per line). */
export function SpellingSection() {
  const form = useSectionForm('editor')
  const wordsId = useId()
  const languages = form.sourceOf('spellcheckLanguages')
  const words = form.sourceOf('customWords')
  const languageError = form.errors['spellcheckLanguages']
  const wordsError = form.errors['customWords']
  // The text as typed (a new line being started is kept) while the form has edits; the draft holds
  // the words in it. Once saved or untouched, the words main holds are shown.
  const [typedWords, setTypedWords] = useState<string | null>(null)
  const wordsText = form.dirty && typedWords !== null ? typedWords : form.draft.customWords.join('\n')
  return (
    <SettingsSection id="settings-editor" title="Report editor and spelling" form={form}>
      <NumberField form={form} field="fontSizePx" label="Report text size (px)" hint="12 to 40" />
      <fieldset className="setting-group" disabled={languages.locked}>
        <legend>Spell-check languages</legend>
        {SPELLCHECK_LANGUAGES.map(({ code, name }) => (
          <label key={code} className="inline-choice">
            <input
              type="checkbox"
              checked={form.draft.spellcheckLanguages.includes(code)}
              onChange={(e) =>
                form.set(
                  'spellcheckLanguages',
                  e.target.checked
                    ? [...form.draft.spellcheckLanguages, code]
                    : form.draft.spellcheckLanguages.filter((c) => c !== code),
                )
              }
            />
            {name}
          </label>
        ))}
        <span className="setting-source">{languages.text}</span>
        {languageError && (
          <span className="field-error" role="alert">
            {languageError}
          </span>
        )}
      </fieldset>
      <div className="setting-field">
        <label htmlFor={wordsId}>Your own words (one per line)</label>
        <div className="setting-control">
          <textarea
            id={wordsId}
            rows={4}
            spellCheck={false}
            readOnly={words.locked}
            value={wordsText}
            aria-describedby={`${wordsId}-source`}
            onChange={(e) => {
              setTypedWords(e.target.value)
              form.set(
                'customWords',
                e.target.value
                  .split('\n')
                  .map((w) => w.trim())
                  .filter(Boolean),
              )
            }}
          />
          <span id={`${wordsId}-source`} className="setting-source">
            {words.text}
          </span>
          {wordsError && (
            <span className="field-error" role="alert">
              {wordsError}
            </span>
          )}
        </div>
      </div>
    </SettingsSection>
  )
}
