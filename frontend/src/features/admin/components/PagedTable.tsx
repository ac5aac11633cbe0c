import { Table, VisuallyHidden, useMantineTheme } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { UseQueryResult } from "@tanstack/react-query";
import { Children, Fragment, cloneElement, isValidElement, type ReactNode } from "react";

import { EmptyState } from "@/components/EmptyState";
import { QueryView } from "@/components/QueryView";
import { Paging } from "@/features/admin/components/Paging";
import classes from "@/features/admin/components/PagedTable.module.css";

interface PageOf<T> {
  items: T[];
  pagination: { totalPages: number; totalItems: number; totalExact?: boolean };
}

export interface Column {
  label: string;
  /** Read by screen readers only (the actions column). */
  hidden?: boolean;
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
  const phone = usePhoneLayout();
  return (
    <QueryView
      query={query}
      isEmpty={(data) => data.items.length === 0}
      empty={<EmptyState title={empty.title} description={empty.description} />}
    >
      {(data) => (
        <>
          {phone ? (
            <Table role="table" className={classes.stacked} verticalSpacing="sm">
              <Header columns={columns} roles />
              <Table.Tbody role="rowgroup">
                {data.items.map((item) => (
                  <Table.Tr key={rowKey(item)} role="row">
                    {labelled(renderRow(item), columns)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Table.ScrollContainer minWidth={minWidth}>
              <Table striped highlightOnHover={highlightOnHover} verticalSpacing="sm">
                <Header columns={columns} />
                <Table.Tbody>
                  {data.items.map((item) => (
                    <Table.Tr key={rowKey(item)}>{renderRow(item)}</Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
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

/** Below the `sm` breakpoint, where the navigation turns into a drawer too. */
function usePhoneLayout(): boolean {
  const theme = useMantineTheme();
  return useMediaQuery(`(max-width: calc(${theme.breakpoints.sm} - 0.0625em))`, false, {
    getInitialValueInEffect: false,
  });
}

function Header({ columns, roles = false }: { columns: readonly Column[]; roles?: boolean }) {
  return (
    <Table.Thead role={roles ? "rowgroup" : undefined}>
      <Table.Tr role={roles ? "row" : undefined}>
        {columns.map((column) => (
          <Table.Th key={column.label} role={roles ? "columnheader" : undefined}>
            {column.hidden ? <VisuallyHidden>{column.label}</VisuallyHidden> : column.label}
          </Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}

type CellProps = {
  role?: string;
  "data-label"?: string;
  "data-label-hidden"?: boolean;
  children?: ReactNode;
};

/** The row's cells, each told its column's name (shown beside it on a phone). */
function labelled(row: ReactNode, columns: readonly Column[]): ReactNode {
  const cells = isValidElement<{ children?: ReactNode }>(row) && row.type === Fragment ? row.props.children : row;
  return Children.map(cells, (cell, index) => {
    if (!isValidElement<CellProps>(cell)) return cell;
    const column = columns[index];
    return cloneElement(cell, {
      role: "cell",
      "data-label": column?.label,
      "data-label-hidden": column?.hidden || undefined,
      children: <div className={classes.value}>{cell.props.children}</div>,
    });
  });
}
