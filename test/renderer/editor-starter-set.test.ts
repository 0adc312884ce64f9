import { describe, expect, it } from 'vitest'
import { SettingsSchema } from '../../src-preload/contract'
import { findFields } from '../../src-renderer/src/features/editor/fields'
import { StarterSetSchema, starterSet } from '../../src-renderer/src/features/editor/starter-set'
import starterSetJson from '../../resources/editor/starter-set.json'

describe('editor starter set', () => {
  it('validates with the settings schemas and fits into settings as the person’s own', () => {
    const parsed = StarterSetSchema.parse(starterSetJson)
    expect(parsed).toEqual(starterSet)
    const settings = SettingsSchema.parse({ editor: { templates: parsed.templates, macros: parsed.macros } })
    expect(settings.editor.templates).toHaveLength(parsed.templates.length)
  })

  it('has the templates the issue names, each with fields, and about a dozen macros', () => {
    expect(starterSet.templates.map((t) => t.id)).toEqual(
      expect.arrayContaining([
        'ct-head',
        'ct-chest-abdomen-pelvis',
        'mr-brain',
        'mr-knee',
        'xr-chest',
        'us-abdomen',
        'xr-generic',
      ]),
    )
    for (const template of starterSet.templates) {
      expect(findFields(template.text).length, template.id).toBeGreaterThan(0)
      // Every bracket belongs to a field: no stray [ or ] a person would have to hunt down.
      const bracketChars = template.text.match(/[[\]]/g)?.length ?? 0
      expect(bracketChars, template.id).toBe(findFields(template.text).length * 2)
    }
    expect(starterSet.macros.length).toBeGreaterThanOrEqual(12)
    expect(starterSet.macros.map((m) => m.shortcut)).toEqual(expect.arrayContaining(['.normchest', '.nad']))
  })

  it('refuses duplicate ids and shortcuts', () => {
    const macro = starterSet.macros[0]!
    const twice = {
      ...starterSet,
      macros: [macro, { ...macro, id: 'other', shortcut: macro.shortcut.toUpperCase() }],
    }
    expect(StarterSetSchema.safeParse(twice).success).toBe(false)
    const sameId = { ...starterSet, templates: [starterSet.templates[0]!, starterSet.templates[0]!] }
    expect(StarterSetSchema.safeParse(sameId).success).toBe(false)
  })
})
