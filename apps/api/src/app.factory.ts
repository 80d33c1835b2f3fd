import * as fs from 'node:fs';
import * as path from 'node:path';

import { BadRequestException, RequestMethod, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';

import { AppModule } from './app.module';
import { REFRESH_COOKIE } from './auth/auth.service';
import { SECURITY } from './common/decorators/auth.decorators';
import { ErrorDto, FieldErrorDto } from './common/error.dto';
import { ApiError, ERROR_CODES } from './common/errors';
import { API_PREFIX } from './common/paths';
import { AllExceptionsFilter, AllowedMethods } from './common/filters/all-exceptions.filter';
import { finishDocument } from './common/openapi/finish-document';
import { SafeInputPipe } from './common/pipes/safe-input.pipe';
import { compressResponses } from './common/middleware/compression.middleware';
import { requestLog } from './common/middleware/request-log.middleware';
import { serveSpa } from './common/middleware/web-dist.middleware';
import { jsonBodiesOnly, securityHeaders } from './common/middleware/security.middleware';
import { JsonLogger } from './common/logging/json-logger';
import { ApiConfig, trustProxySetting } from './config/api.config';
import { MetricsService } from './metrics/metrics.service';

export interface CreateAppOptions {
  /** keys of the real process environment, which win over .env on /rereadenv */
  pinnedEnvKeys?: string[];
  logger?: JsonLogger;
}

/** The configured app, not yet listening: main.ts listens, e2e tests hand `app.getHttpServer()` to supertest. */
export async function createApp(
  config: ApiConfig,
  opts: CreateAppOptions = {},
): Promise<NestExpressApplication> {
  const logger = opts.logger ?? new JsonLogger(config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger, opts.pinnedEnvKeys),
    // TLS_CERT_FILE/TLS_KEY_FILE: HTTPS only on this port (a plain HTTP request fails its handshake)
    { logger, httpsOptions: tlsOptions(config) },
  );
  app.disable('x-powered-by');
  // behind nginx: the client's address for the throttlers, https for the refresh cookie's Secure flag
  if (config.TRUST_PROXY) app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.use(compressResponses());
  app.use(...securityHeaders(config.HSTS_MAX_AGE));
  app.use(jsonBodiesOnly(isApi));
  // registered before Nest's default parser, which then stays off; the filter answers 413 for larger bodies
  app.useBodyParser('json', { limit: config.BODY_LIMIT_BYTES });
  app.use(cookieParser());
  app.use(requestLog(app.get(MetricsService).httpDuration, logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  app.useGlobalPipes(
    new SafeInputPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(logger, routeMethods(app)));
  if (config.WEB_DIST) serveSpa(app, path.resolve(config.WEB_DIST), isApi, logger);
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** The api's certificate and key (TLS_CERT_FILE, TLS_KEY_FILE), read now: at start-up and on SIGHUP. */
export function tlsOptions(
  config: Pick<ApiConfig, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>,
): { cert: Buffer; key: Buffer } | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  return { cert: fs.readFileSync(config.TLS_CERT_FILE), key: fs.readFileSync(config.TLS_KEY_FILE) };
}

export function buildOpenApi(app: NestExpressApplication): OpenAPIObject {
  const codes = Object.entries(ERROR_CODES)
    .map(([code, meaning]) => `| \`${code}\` | ${meaning} |`)
    .join('\n');
  const doc = new DocumentBuilder()
    .setTitle('SensorHub API')
    .setVersion('1')
    .setDescription(
      'Telemetry of SensorHub devices. People log in (POST /api/v1/auth/login) and send `Authorization: Bearer <accessToken>`; ' +
        'roles admin ⊃ operator ⊃ viewer. Integrators send `X-API-Key`: scope `read` opens viewer routes, `write` operator ' +
        'routes; admin routes never accept keys. Every route is throttled: 429 THROTTLED with `Retry-After`.\n\n' +
        'Every error has the shape `{statusCode, code, message, details?}` with one of these stable codes:\n\n' +
        '| code | meaning |\n|---|---|\n' +
        codes,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, SECURITY.bearer)
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'an integrator key from POST /api/v1/api-keys',
      },
      SECURITY.apiKey,
    )
    .addCookieAuth(REFRESH_COOKIE, { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE }, 'refreshCookie')
    .build();
  return finishDocument(SwaggerModule.createDocument(app, doc, { extraModels: [ErrorDto, FieldErrorDto] }));
}

/** ValidationPipe errors in the one error shape, each invalid field (dotted for nested ones) in details. */
function validationError(errors: ValidationError[]): BadRequestException {
  const details: { field: string; errors: string[] }[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const e of list) {
      const field = prefix + e.property;
      if (e.constraints) details.push({ field, errors: Object.values(e.constraints) });
      if (e.children?.length) walk(e.children, `${field}.`);
    }
  };
  walk(errors, '');
  return new ApiError(
    400,
    'VALIDATION_FAILED',
    details[0]?.errors[0] ?? 'invalid request',
    details,
  ) as unknown as BadRequestException;
}

const isApi = (p: string) => p === '/api' || p.startsWith('/api/') || p === '/metrics';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** The methods Express serves a path with, read from its router (HEAD comes with GET). */
function routeMethods(app: NestExpressApplication): AllowedMethods {
  return (path) => {
    const router = (app.getHttpAdapter().getInstance() as unknown as { router?: { stack: RouteLayer[] } })
      .router;
    const methods = new Set<string>();
    for (const layer of router?.stack ?? []) {
      if (!layer.route || !layer.match(path)) continue;
      for (const m of Object.keys(layer.route.methods)) methods.add(m.toUpperCase());
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
