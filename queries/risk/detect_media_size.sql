-- kind: media_size. Pictures, videos and files larger than $max_mb, where
-- the export writes the size in the message: "[文件]demo.mp4 (56.3MB)",
-- "[File] report.pdf 25 MB". Sizes in KB, MB, GB (or K, M, G, KiB...).
INSERT INTO risk_hits
SELECT $rule, message_id::VARCHAR, group_id, member_id, message_id, ts,
       size.num || ' ' || size.unit || 'B'
FROM (
    SELECT m.group_id, m.member_id, m.message_id, m.ts,
           regexp_extract(m.text, '(?i)(\d+(?:\.\d+)?)\s*([KMG])i?B\b', ['num', 'unit']) AS size
    FROM messages m
    WHERE m.ts >= $since::TIMESTAMP AND m.member_id IS NOT NULL
      AND (contains(m.text, 'B') OR contains(m.text, 'b')) -- every size ends in B
      AND (m.kind IN ('image', 'video', 'file')
           OR ((starts_with(m.text, '[') OR starts_with(m.text, '【'))
               AND regexp_extract(m.text, '^[\[【](?:文件|视频|图片|File|Video|Photo|Image)[\]】]') <> ''))
)
WHERE size.num <> ''
  AND size.num::DOUBLE * CASE upper(size.unit) WHEN 'K' THEN 1.0 / 1024 WHEN 'G' THEN 1024 ELSE 1 END > $max_mb
  AND NOT ($exempt_staff AND is_staff(member_id, group_id));
