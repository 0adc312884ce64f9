import { describe, expect, it } from 'vitest'
import { ReportTemplateSchema, SettingsSchema, type ReportTemplate } from '../../src-preload/contract'
import { starterSet } from '../../src-renderer/src/features/editor/starter-set'
import {
  chooseDefaultTemplate,
  normalizeModality,
  resolveMacros,
  resolveTemplates,
} from '../../src-renderer/src/features/editor/templates'

const template = (id: string, modalities: string[], descriptionKeywords: string[]): ReportTemplate =>
  ReportTemplateSchema.parse({ id, name: id, modalities, descriptionKeywords, text: `${id} [x]` })

const templates = [
  template('any', [], []),
  template('xr', ['XR'], []),
  template('xr-chest', ['XR'], ['chest']),
  template('ct-head', ['CT'], ['brain|head']),
  template('mr-lumbar', ['MRI'], ['lumbar spine']),
]

const choose = (modality: string | null, studyDescription: string | null) =>
  chooseDefaultTemplate(templates, { modality, studyDescription })?.id ?? null

describe('editor templates', () => {
  it('chooses the most specific template by modality and description words', () => {
    expect(choose('DX', 'XR Chest')).toBe('xr-chest')
    expect(choose('DX', 'XR Knee')).toBe('xr')
    expect(choose('CT', 'CT Brain')).toBe('ct-head')
    expect(choose('CT', 'CT HEAD non-contrast')).toBe('ct-head')
    expect(choose('MR', 'MRI Lumbar Spine')).toBe('mr-lumbar')
    // Both words of a multi-word keyword are needed; whole words only ("chestnut" is not "chest").
    expect(choose('MR', 'MRI Lumbar Plexus')).toBe('any')
    expect(choose('DX', 'XR Chestnut')).toBe('xr')
    expect(choose('US', 'US Abdomen')).toBe('any')
  })

  it('reads the modality from the description when QUBS sends none', () => {
    expect(choose(null, 'XR Chest')).toBe('xr-chest')
    expect(choose('  ', 'CT Brain')).toBe('ct-head')
    expect(choose(null, null)).toBe('any')
  })

  it('answers null when nothing applies, and the first of equally specific templates', () => {
    expect(
      chooseDefaultTemplate(templates.slice(1), { modality: 'NM', studyDescription: 'Bone scan' }),
    ).toBeNull()
    const twins = [template('first', ['CT'], ['head']), template('second', ['CT'], ['head'])]
    expect(chooseDefaultTemplate(twins, { modality: 'CT', studyDescription: 'CT head' })?.id).toBe('first')
  })

  it('normalises modality codes and spellings', () => {
    expect(['DX', 'cr', 'DR', 'X-ray', 'XR'].map(normalizeModality)).toEqual(['XR', 'XR', 'XR', 'XR', 'XR'])
    expect(normalizeModality('MRI')).toBe('MR')
    expect(normalizeModality('ct')).toBe('CT')
  })

  it('uses the person’s templates and macros once set, else the starter set', () => {
    const defaults = SettingsSchema.parse({}).editor
    expect(resolveTemplates(defaults, starterSet)).toBe(starterSet.templates)
    expect(resolveMacros(defaults, starterSet)).toBe(starterSet.macros)
    expect(resolveTemplates({ templates: [] }, starterSet)).toEqual([])
    expect(resolveMacros({ macros: [] }, starterSet)).toEqual([])
  })

  it('gives the sandbox’s studies a starter template of their own kind', () => {
    const expected: [modality: string, description: string, templateId: string][] = [
      ['CT', 'CT Brain', 'ct-head'],
      ['CT', 'CT Chest', 'ct-chest'],
      ['CT', 'CT Abdomen Pelvis', 'ct-abdomen-pelvis'],
      ['CT', 'CT Chest Abdomen Pelvis', 'ct-chest-abdomen-pelvis'],
      ['MR', 'MRI Brain', 'mr-brain'],
      ['MR', 'MRI Knee', 'mr-knee'],
      ['DX', 'XR Chest', 'xr-chest'],
      ['DX', 'XR Wrist', 'xr-generic'],
      ['US', 'US Abdomen', 'us-abdomen'],
    ]
    const chosen = expected.map(
      ([modality, studyDescription]) =>
        chooseDefaultTemplate(starterSet.templates, { modality, studyDescription })?.id,
    )
    expect(chosen).toEqual(expected.map(([, , templateId]) => templateId))
  })
})
