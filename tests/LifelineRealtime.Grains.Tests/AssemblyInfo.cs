// Tests in different classes run in parallel; each test owns its data (unique keys, temp files).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
