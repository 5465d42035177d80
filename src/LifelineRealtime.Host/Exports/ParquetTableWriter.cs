using System.Collections.Immutable;
using System.Security.Cryptography;
using Parquet;
using Parquet.Schema;

namespace LifelineRealtime.Host.Exports;

/// <summary>One data file of a partition: its name (content-addressed), bytes and rows.</summary>
public sealed record ExportFile(string Name, byte[] Content, long Rows)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>
/// Writes rows as snappy-compressed Parquet: typed columns (timestamps as UTC instants in milliseconds, dates, int64
/// counts, double seconds), row groups of <c>RowGroupSize</c>, files of at most <c>MaxRowsPerFile</c>. Nothing in a
/// file depends on when it was written, so the same rows give the same bytes, and each file is named
/// <c>part-NNNNN-&lt;hash&gt;.parquet</c> after its content.
/// </summary>
public static class ParquetTableWriter
{
    public static ParquetSchema Schema<TRow>(IReadOnlyList<ExportColumn<TRow>> columns) => new(columns.Select(Field).Cast<Field>());

    public static async Task<ImmutableArray<ExportFile>> WriteAsync<TRow>(
        IReadOnlyList<ExportColumn<TRow>> allColumns, IReadOnlyList<TRow> rows, bool includeNames, int rowGroupSize, int maxRowsPerFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allColumns);
        ArgumentNullException.ThrowIfNull(rows);
        var columns = allColumns.Where(c => includeNames || !c.NamesOnly).ToList();
        var schema = Schema(columns);
        var fields = schema.GetDataFields();
        var files = ImmutableArray.CreateBuilder<ExportFile>();
        var first = 0;
        do
        {
            var take = Math.Min(maxRowsPerFile, rows.Count - first);
            using var stream = new MemoryStream();
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            await using (var writer = await ParquetWriter.CreateAsync(schema, stream, options, append: false, cancellationToken))
            {
                writer.CustomMetadata = new Dictionary<string, string>
                {
                    ["lifeline.schema_version"] = ExportTables.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                for (var group = first; group < first + take || (take == 0 && group == first); group += rowGroupSize)
                {
                    var count = Math.Min(rowGroupSize, first + take - group);
                    using var rowGroup = writer.CreateRowGroup();
                    for (var c = 0; c < columns.Count; c++)
                    {
                        await WriteColumnAsync(rowGroup, fields[c], columns[c], rows, group, count, cancellationToken);
                    }

                    if (take == 0)
                    {
                        break;
                    }
                }
            }

            var content = stream.ToArray();
            var name = $"part-{files.Count:D5}-{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}.parquet";
            files.Add(new ExportFile(name, content, take));
            first += take;
        }
        while (first < rows.Count);

        return files.ToImmutable();
    }

    private static DataField Field<TRow>(ExportColumn<TRow> c) => c.Type switch
    {
        ExportColumnType.String => new DataField<string>(c.Name, c.Nullable),
        ExportColumnType.Int64 => c.Nullable ? new DataField<long?>(c.Name) : new DataField<long>(c.Name),
        ExportColumnType.Double => c.Nullable ? new DataField<double?>(c.Name) : new DataField<double>(c.Name),
        ExportColumnType.Boolean => c.Nullable ? new DataField<bool?>(c.Name) : new DataField<bool>(c.Name),
        ExportColumnType.Timestamp => new DateTimeDataField(c.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: c.Nullable),
        ExportColumnType.Date => new DateTimeDataField(c.Name, DateTimeFormat.Date, isAdjustedToUTC: true, isNullable: c.Nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Type, "unknown column type"),
    };

    private static async Task WriteColumnAsync<TRow>(ParquetRowGroupWriter rowGroup, DataField field, ExportColumn<TRow> column, IReadOnlyList<TRow> rows, int from, int count, CancellationToken cancellationToken)
    {
        switch (column.Type)
        {
            case ExportColumnType.String:
                var strings = new string[count];
                for (var i = 0; i < count; i++)
                {
                    strings[i] = (string)column.Value(rows[from + i])!;
                }

                await rowGroup.WriteAsync(field, strings);
                break;
            case ExportColumnType.Int64:
                await WriteAsync(rowGroup, field, column, rows, from, count, v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                break;
            case ExportColumnType.Double:
                await WriteAsync(rowGroup, field, column, rows, from, count, v => (double)v, cancellationToken);
                break;
            case ExportColumnType.Boolean:
                await WriteAsync(rowGroup, field, column, rows, from, count, v => (bool)v, cancellationToken);
                break;
            case ExportColumnType.Timestamp:
                await WriteAsync(rowGroup, field, column, rows, from, count, v => DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc), cancellationToken);
                break;
            case ExportColumnType.Date:
                await WriteAsync(rowGroup, field, column, rows, from, count, v => ((DateOnly)v).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), cancellationToken);
                break;
        }
    }

    private static async Task WriteAsync<TRow, T>(ParquetRowGroupWriter rowGroup, DataField field, ExportColumn<TRow> column, IReadOnlyList<TRow> rows, int from, int count, Func<object, T> convert, CancellationToken cancellationToken)
        where T : struct
    {
        if (column.Nullable)
        {
            var values = new T?[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = column.Value(rows[from + i]) is { } v ? convert(v) : null;
            }

            await rowGroup.WriteAsync<T>(field, values.AsMemory(), null, null, cancellationToken);
        }
        else
        {
            var values = new T[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = convert(column.Value(rows[from + i]) ?? throw new InvalidOperationException($"column {column.Name} is not nullable"));
            }

            await rowGroup.WriteAsync<T>(field, values.AsMemory(), null, null, cancellationToken);
        }
    }
}
