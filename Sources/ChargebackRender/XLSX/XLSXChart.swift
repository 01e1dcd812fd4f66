import CXlsxWriter
import ChargebackModel

/// A chart of an ``XLSXWorkbook``, drawn from cell ranges (the spreadsheet reads the cells when it
/// draws, so a chart always shows what the sheet holds).
public final class XLSXChart {
    let pointer: UnsafeMutablePointer<lxw_chart>

    public enum Kind: Sendable {
        case line, column

        var rawValue: UInt8 {
            switch self {
            case .line: UInt8(LXW_CHART_LINE.rawValue)
            case .column: UInt8(LXW_CHART_COLUMN.rawValue)
            }
        }
    }

    /// How a series is drawn.
    public struct Style: Sendable {
        public var color: lxw_color_t?
        public var dashed = false
        public var width: Float = 2.25
        /// Columns drawn as an outline only (no fill), e.g. a budget around the cost bar.
        public var outline = false
        public init(color: lxw_color_t? = nil, dashed: Bool = false, width: Float = 2.25, outline: Bool = false) {
            self.color = color
            self.dashed = dashed
            self.width = width
            self.outline = outline
        }
    }

    init(pointer: UnsafeMutablePointer<lxw_chart>) {
        self.pointer = pointer
    }

    /// Adds a series: category labels and values from one-column ranges of `sheet`.
    public func addSeries(
        name: String, sheet: String, categories: XLSXRange, values: XLSXRange,
        style: Style = Style()
    ) throws {
        guard let series = chart_add_series(pointer, nil, nil) else {
            throw XLSXError(operation: "adding the chart series \(name)", reason: "out of memory")
        }
        chart_series_set_categories(
            series, sheet, lxw_row_t(categories.firstRow), lxw_col_t(categories.firstColumn),
            lxw_row_t(categories.lastRow), lxw_col_t(categories.lastColumn))
        chart_series_set_values(
            series, sheet, lxw_row_t(values.firstRow), lxw_col_t(values.firstColumn),
            lxw_row_t(values.lastRow), lxw_col_t(values.lastColumn))
        chart_series_set_name(series, name)
        if let color = style.color {
            var line = lxw_chart_line()
            line.color = color
            line.width = style.width
            line.dash_type = UInt8(
                style.dashed ? LXW_CHART_LINE_DASH_DASH.rawValue : LXW_CHART_LINE_DASH_SOLID.rawValue)
            chart_series_set_line(series, &line)
            var fill = lxw_chart_fill()
            fill.color = color
            fill.none = style.outline ? 1 : 0
            chart_series_set_fill(series, &fill)
        }
    }

    /// How far the columns of different series overlap, −100…100 (100: drawn on top of each other).
    public func overlap(_ percent: Int8) {
        chart_set_series_overlap(pointer, percent)
    }

    /// The chart's title.
    public func title(_ text: String) {
        chart_title_set_name(pointer, text)
    }

    /// Axis titles and number formats; the value axis starts at zero so that small changes do not look large.
    public func axes(category: String, value: String, valueFormat: String? = nil, categoryFormat: String? = nil) {
        if let x = chart_axis_get(pointer, LXW_CHART_AXIS_TYPE_X) {
            chart_axis_set_name(x, category)
            if let categoryFormat { chart_axis_set_num_format(x, categoryFormat) }
        }
        if let y = chart_axis_get(pointer, LXW_CHART_AXIS_TYPE_Y) {
            chart_axis_set_name(y, value)
            chart_axis_set_min(y, 0)
            if let valueFormat { chart_axis_set_num_format(y, valueFormat) }
        }
    }

    /// Puts the legend below the plot, or hides it.
    public func legend(visible: Bool) {
        chart_legend_set_position(
            pointer, UInt8(visible ? LXW_CHART_LEGEND_BOTTOM.rawValue : LXW_CHART_LEGEND_NONE.rawValue))
    }
}
