import { itemBoundToDomain, itemsBoundToDomain } from './domain-binding'
import { enc, pathId, type CallOptions, type OperationContext } from './operation-context'
import {
  ExamCodeListSchema,
  SiteListSchema,
  SiteSettingsSchema,
  type ExamCode,
  type Site,
  type SiteSettings,
} from './schemas'

/** A domain's sites: the list, one site's settings, and the exam codes it uses. */
export function listSites(
  context: OperationContext,
  domain: string,
  options: Readonly<CallOptions>,
): Promise<Site[]> {
  return context.get(domain, (d) => ({
    route: '/{domain}/sites',
    path: `/${enc(d)}/sites`,
    schema: SiteListSchema,
    check: itemsBoundToDomain(d),
    signal: options.signal,
  }))
}

export function getSite(
  context: OperationContext,
  domain: string,
  siteName: string,
  options: Readonly<CallOptions>,
): Promise<SiteSettings> {
  return context.get(domain, (d) => ({
    route: '/{domain}/sites/{siteName}',
    path: `/${enc(d)}/sites/${enc(pathId('siteName', siteName))}`,
    schema: SiteSettingsSchema,
    check: itemBoundToDomain(d),
    signal: options.signal,
  }))
}

export function listExamCodes(
  context: OperationContext,
  domain: string,
  siteName: string,
  options: Readonly<CallOptions>,
): Promise<ExamCode[]> {
  return context.get(domain, (d) => ({
    route: '/{domain}/sites/{siteName}/exam-codes',
    path: `/${enc(d)}/sites/${enc(pathId('siteName', siteName))}/exam-codes`,
    schema: ExamCodeListSchema,
    signal: options.signal,
  }))
}
