-- WeCom (企业微信) customer groups (issue #16): the counts the platform keeps
-- itself, for groups whose messages were not archived.

-- A platform's own statistics of customer groups (WeCom's 群聊数据统计):
-- never per group, but for the groups of some owners (owner_ids: member
-- ids of the group owners whose groups are counted; empty: every group of
-- the account) over days days from day (the local date; ts is its
-- midnight as a UTC instant, for periods). Counts the export did not give
-- are NULL. groups_total and members_total are as at the span's end;
-- members_with_messages counts the members who sent a message in the span,
-- messages the messages sent in it.
CREATE TABLE group_statistics (
    statistic_id          BIGINT PRIMARY KEY,
    platform              VARCHAR NOT NULL,
    owner_ids             BIGINT[] NOT NULL,
    day                   DATE NOT NULL,
    ts                    TIMESTAMP NOT NULL,
    days                  INTEGER NOT NULL,
    new_groups            BIGINT,
    groups_total          BIGINT,
    groups_with_messages  BIGINT,
    new_members           BIGINT,
    members_total         BIGINT,
    members_with_messages BIGINT,
    messages              BIGINT,
    file_id               INTEGER,
    line                  BIGINT
);
