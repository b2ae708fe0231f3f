import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as common from '@grafana/grafana-foundation-sdk/common';

/** The datasource the provisioning creates (grafana/provisioning/datasources/soakstream.yaml). */
export const DATASOURCE_UID = 'soakstream-influxdb';
export const DATASOURCE_NAME = 'soakstream InfluxDB';

/**
 * Panels and annotations reach the datasource through the `datasource` variable, so an imported
 * dashboard can point at any InfluxDB.
 */
export const DATASOURCE_VARIABLE: common.DataSourceRef = { type: 'influxdb', uid: '${datasource}' };

/** A quoted InfluxQL identifier: measurement, tag and field names (`stats` is a keyword). */
export const id = (name: string): string => `"${name}"`;

/** `"tag" =~ /^$variable$/`: a tag matched by a dashboard variable (multi-value and All expand to a regex). */
export const matches = (tag: string, variable: string): string => `${id(tag)} =~ /^$${variable}$/`;

/** A raw InfluxQL query of Grafana's InfluxDB datasource (the SDK has builders for other datasources only). */
export interface InfluxQLQuery extends cog.Dataquery {
  refId: string;
  datasource?: common.DataSourceRef;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
  hide?: boolean;
  /** Annotation queries only: which columns give the annotation's text, tags and title. */
  fromAnnotations?: boolean;
  queryType?: 'tags';
  textColumn?: string;
  tagsColumn?: string;
  titleColumn?: string;
  /** The column of a region annotation's end, in epoch milliseconds (rows without it are single marks). */
  timeEndColumn?: string;
}

/** Builds an {@link InfluxQLQuery}; `query` may use Grafana's `$timeFilter`, `$__interval` and dashboard variables. */
export class InfluxQL implements cog.Builder<cog.Dataquery> {
  private readonly internal: InfluxQLQuery;

  constructor(query: string, refId = 'A') {
    this.internal = {
      refId,
      query,
      rawQuery: true,
      resultFormat: 'time_series',
      _implementsDataqueryVariant: () => undefined,
    };
  }

  build(): InfluxQLQuery {
    return this.internal;
  }

  datasource(datasource: common.DataSourceRef): this {
    this.internal.datasource = datasource;
    return this;
  }

  table(): this {
    this.internal.resultFormat = 'table';
    return this;
  }

  /** Series name in the legend, e.g. `$tag_metric $col`. */
  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }

  /**
   * Makes this an annotation query whose rows become annotations: each at its row's time, a region
   * up to the `timeEnd` column's time (epoch ms) where the row has one.
   */
  annotation(columns: { text: string; tags: string; title?: string; timeEnd?: string }): this {
    Object.assign(this.internal, {
      fromAnnotations: true,
      queryType: 'tags',
      textColumn: columns.text,
      tagsColumn: columns.tags,
      titleColumn: columns.title ?? '',
      ...(columns.timeEnd !== undefined ? { timeEndColumn: columns.timeEnd } : {}),
    });
    return this;
  }
}
