import type { ApiClient, ApiResponse } from '@japa/api-client'

export type Probe = (client: ApiClient) => Promise<ApiResponse>
export type RouteProbes = { success: Probe; failure: Probe }
