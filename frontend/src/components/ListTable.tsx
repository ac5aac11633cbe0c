import { Table, VisuallyHidden, useMantineTheme, type TableProps } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { Children, Fragment, cloneElement, isValidElement, type ReactNode } from "react";

import classes from "@/components/ListTable.module.css";

export interface Column {
  label: string;
  /** Read by screen readers only (the actions column). */
  hidden?: boolean;
}

/**
 * A list as a table on a wide screen (scrolling sideways inside its frame when it must) and
 * as a card per row on a phone, each value beside its column's name.
 */
export function ListTable<T>({
  label,
  columns,
  items,
  rowKey,
  renderRow,
  minWidth,
  highlightOnHover = true,
  verticalSpacing = "sm",
}: {
  /** Names the scroll area, which keyboard users can focus to scroll it. */
  label?: string;
  columns: readonly Column[];
  items: readonly T[];
  rowKey: (item: T) => string;
  /** The row's cells (`Table.Td`s), in the order of `columns`. */
  renderRow: (item: T) => ReactNode;
  minWidth: number;
  highlightOnHover?: boolean;
  verticalSpacing?: TableProps["verticalSpacing"];
}) {
  if (usePhoneLayout()) {
    return (
      <Table role="table" aria-label={label} className={classes.stacked}>
        <Header columns={columns} roles />
        <Table.Tbody role="rowgroup">
          {items.map((item) => (
            <Table.Tr key={rowKey(item)} role="row">
              {labelled(renderRow(item), columns)}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  }
  const region = label ? { viewportProps: { tabIndex: 0, role: "region", "aria-label": label } } : undefined;
  return (
    <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={region}>
      <Table striped highlightOnHover={highlightOnHover} verticalSpacing={verticalSpacing}>
        <Header columns={columns} />
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={rowKey(item)}>{renderRow(item)}</Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
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
