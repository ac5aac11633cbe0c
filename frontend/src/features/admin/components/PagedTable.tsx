import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { EmptyState } from "@/components/EmptyState";
import { ListTable, type Column } from "@/components/ListTable";
import { QueryView } from "@/components/QueryView";
import { Paging } from "@/features/admin/components/Paging";

interface PageOf<T> {
  items: T[];
  pagination: { totalPages: number; totalItems: number; totalExact?: boolean };
}

/** One page of an admin list: loading, error and empty states, the table, the paging. */
export function PagedTable<T>({
  query,
  columns,
  minWidth,
  empty,
  rowKey,
  renderRow,
  page,
  onPageChange,
  highlightOnHover = true,
}: {
  query: UseQueryResult<PageOf<T>>;
  columns: readonly Column[];
  minWidth: number;
  empty: { title: string; description: string };
  rowKey: (item: T) => string;
  /** The row's cells (`Table.Td`s), in the order of `columns`. */
  renderRow: (item: T) => ReactNode;
  page: number;
  onPageChange: (page: number) => void;
  highlightOnHover?: boolean;
}) {
  return (
    <QueryView
      query={query}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState title={empty.title} description={empty.description} />}
    >
      {(data) => (
        <>
          <ListTable
            columns={columns}
            items={data.items}
            rowKey={rowKey}
            renderRow={renderRow}
            minWidth={minWidth}
            highlightOnHover={highlightOnHover}
          />
          <Paging
            page={page}
            totalPages={data.pagination.totalPages}
            totalItems={data.pagination.totalItems}
            totalExact={data.pagination.totalExact}
            onChange={onPageChange}
          />
        </>
      )}
    </QueryView>
  );
}
