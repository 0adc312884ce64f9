/**
 * The site endpoints from the partner guide: the list of sites, one site's settings (with its IANA
 * time zone, which appointment dates and times are local to) and its exam codes.
 */
import type { Route, RouteContext } from '../context'
import { param } from '../context'
import type { Reply } from '../http-io'
import { notFound } from '../problem'
import type { SeedSite } from '../seed'

const BASE = '/integrations/v1/{domain}/sites'

function siteOf(context: RouteContext): SeedSite {
  const site = context.deps.store.domain(param(context, 'domain')).site(param(context, 'siteName'))
  if (!site) throw notFound('No such site in this domain.')
  return site
}

export const siteRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: BASE,
    auth: 'bearer',
    handle: (context): Reply => {
      const domain = context.deps.store.domain(param(context, 'domain'))
      return { status: 200, json: domain.sites.map((s) => ({ domain: s.domain, siteName: s.siteName })) }
    },
  },
  {
    method: 'GET',
    template: `${BASE}/{siteName}`,
    auth: 'bearer',
    handle: (context): Reply => {
      const site = siteOf(context)
      return {
        status: 200,
        json: {
          domain: site.domain,
          siteName: site.siteName,
          timeZone: site.timeZone,
          state: site.state,
          country: site.country,
          isActive: true,
        },
      }
    },
  },
  {
    method: 'GET',
    template: `${BASE}/{siteName}/exam-codes`,
    auth: 'bearer',
    handle: (context): Reply => ({ status: 200, json: siteOf(context).examCodes }),
  },
]
