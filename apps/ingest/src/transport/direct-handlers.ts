import 'reflect-metadata';

import { INestApplicationContext } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants';
import { ApplicationConfig, MetadataScanner, ModulesContainer } from '@nestjs/core';
import {
  PARAM_ARGS_METADATA,
  PATTERN_HANDLER_METADATA,
  PATTERN_METADATA,
  TRANSPORT_METADATA,
} from '@nestjs/microservices/constants';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';

/** A decorated handler called as Nest would call it when nothing (pipe, guard, interceptor, filter) sits in between. */
export type DirectHandler = (payload: unknown, ctx: unknown) => unknown;

/** An `@EventPattern` method that may be called directly, with the pattern it was registered under. */
export interface DirectEventHandler {
  pattern: unknown;
  call: DirectHandler;
}

/**
 * The `@EventPattern` handlers of `app`'s controllers that Nest's RPC context layer would call without any effect of
 * its own: static scope, no pipes, guards, interceptors or exception filters (on the method, its class or globally)
 * and only plain `@Payload()` / `@Ctx()` parameters. For those, that layer costs several promises and closures per
 * message (param pipes resolved through `Promise.all` even with no pipes) and nothing else; the transport calls them
 * directly instead. Any handler that does not qualify — or a Nest version whose internals look different — is left
 * out, and the transport keeps calling it through Nest.
 */
export function directEventHandlers(
  app: INestApplicationContext,
  transportId: unknown,
): DirectEventHandler[] {
  const config = (app as unknown as { applicationConfig?: ApplicationConfig }).applicationConfig;
  if (!config || hasGlobalEnhancers(config)) return [];
  const scanner = new MetadataScanner();
  const found: DirectEventHandler[] = [];
  for (const module of app.get(ModulesContainer).values())
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const key of scanner.getAllMethodNames(proto)) {
        const method = proto[key] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, method) !== PatternHandler.EVENT) continue;
        const transport: unknown = Reflect.getMetadata(TRANSPORT_METADATA, method);
        if (transport !== undefined && transport !== transportId) continue;
        const call = directCall(instance, key, method);
        if (!call) continue;
        for (const pattern of (Reflect.getMetadata(PATTERN_METADATA, method) as unknown[]) ?? [])
          found.push({ pattern, call });
      }
    }
  return found;
}

function hasGlobalEnhancers(c: ApplicationConfig): boolean {
  return (
    c.getGlobalPipes().length +
      c.getGlobalGuards().length +
      c.getGlobalInterceptors().length +
      c.getGlobalFilters().length +
      c.getGlobalRequestPipes().length +
      c.getGlobalRequestGuards().length +
      c.getGlobalRequestInterceptors().length +
      c.getGlobalRequestFilters().length >
    0
  );
}

const ENHANCERS = [PIPES_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, EXCEPTION_FILTERS_METADATA];

/** The method bound to its arguments as Nest's RpcParamsFactory maps them, or undefined if it does not qualify. */
function directCall(
  instance: Record<string, unknown>,
  key: string,
  method: (...args: unknown[]) => unknown,
): DirectHandler | undefined {
  for (const meta of ENHANCERS) {
    const onClass = Reflect.getMetadata(meta, instance.constructor) as unknown[] | undefined;
    const onMethod = Reflect.getMetadata(meta, method) as unknown[] | undefined;
    if (onClass?.length || onMethod?.length) return undefined;
  }
  const params = Reflect.getMetadata(PARAM_ARGS_METADATA, instance.constructor, key) as
    Record<string, { index: number; data?: unknown; pipes?: unknown[] }> | undefined;
  // no parameter decorators: Nest passes (payload, context)
  if (!params) return (payload, ctx) => method.call(instance, payload, ctx);
  const order: RpcParamtype[] = [];
  for (const [k, p] of Object.entries(params)) {
    const type = Number(k.split(':')[0]);
    if (
      (type !== RpcParamtype.PAYLOAD && type !== RpcParamtype.CONTEXT) ||
      p.data !== undefined ||
      p.pipes?.length
    )
      return undefined; // a custom decorator, @Payload('field') or a pipe: Nest's layer has work to do
    order[p.index] = type;
  }
  if (order.length === 2 && order[0] === RpcParamtype.PAYLOAD && order[1] === RpcParamtype.CONTEXT)
    return (payload, ctx) => method.call(instance, payload, ctx);
  return (payload, ctx) =>
    method.apply(
      instance,
      Array.from(order, (t) =>
        t === RpcParamtype.PAYLOAD ? payload : t === RpcParamtype.CONTEXT ? ctx : undefined,
      ),
    );
}
