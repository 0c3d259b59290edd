package format

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// DiscourseJSON reads a Discourse forum as its JSON API serves it: a topic
// page saved from /t/{id}.json (or /t/{id}.json?print=true, which holds up
// to 1000 posts), and the category list /categories.json saved beside the
// topics, which names the categories. Layout: Discourse's API
// (docs.discourse.org, "Get a single topic": post_stream.posts with id,
// name, username, created_at, cooked, post_number, post_type,
// reply_to_post_number, topic_id, moderator, admin, staff, user_id,
// deleted_at, user_deleted, action_code; the topic's id, title and
// category_id after them) and the discourse_api gem's fixtures
// (spec/fixtures/topic.json, categories.json).
//
// A forum is read like a chat: each category is a group (platform
// "discourse", its id; named from categories.json, else "category N"),
// each post a message keyed by topic and post number, a reply answering the
// post it names (reply_to_post_number) or else the topic's first post. A
// user's first post in a topic is a join of the category (channel unknown:
// the forum does not say how they came), so the loader's membership starts
// at the user's first post in the category. Moderators and admins (the
// posts' moderator/admin flags) are admins of every category; Discourse's
// own users (system, discobot: user ids below 1) are bots. Moderator
// actions and small actions (post_type 2 and 3: closed, pinned, moved...)
// are system messages; a deleted post is a recall. Text is the cooked
// HTML's text; @mentions (a.mention) name the usernames mentioned, and a
// user's name is their username, so that a mention of staff is seen.
// Private messages (archetype private_message) are refused: they are not
// a category's.
type DiscourseJSON struct{}

// PlatformDiscourse is the platform of Discourse forums.
const PlatformDiscourse = "discourse"

func (DiscourseJSON) Name() string { return "discourse-json" }

func (DiscourseJSON) Detect(_ string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 || h[0] != '{' {
		return false
	}
	return bytes.Contains(h, []byte(`"post_stream"`)) && bytes.Contains(h, []byte(`"posts"`)) ||
		bytes.Contains(h, []byte(`"category_list"`)) && bytes.Contains(h, []byte(`"categories"`))
}

// dsPost is one post as read, kept until the topic's category is known
// (Discourse writes category_id after the posts).
type dsPost struct {
	line                      int64
	id, username, name        string
	userID, created, cooked   string
	actionCode                string
	postNumber, replyTo       int64
	postType                  int64
	topicID                   string
	moderator, admin, deleted bool
	hasReplyTo, hasPostNumber bool
}

type dsParser struct {
	w     *jsonWalk
	sink  Sink
	in    Input
	posts []dsPost
	cur   dsPost
	size  int // bytes of post text kept
}

func (DiscourseJSON) Parse(ctx context.Context, in Input, sink Sink) error {
	p := &dsParser{w: newJSONWalk(ctx, in, "discourse-json", sink), sink: sink, in: in}
	defer p.w.release()
	return p.run()
}

func (p *dsParser) run() error {
	w := p.w
	if err := w.enter('{', "a JSON object (a Discourse topic page, /t/{id}.json)"); err != nil {
		return err
	}
	var topicID, categoryID, archetype string
	sawPosts, categoryList := false, false
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		switch string(k) {
		case "post_stream":
			sawPosts = true
			err = p.postStream()
		case "id":
			topicID, err = w.idOf()
		case "category_id":
			categoryID, err = w.idOf()
		case "archetype":
			archetype, err = w.stringOf()
		case "category_list":
			categoryList = true
			err = w.skip()
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := w.finish(); err != nil {
		return err
	}
	fail := func(msg string) error { return &ParseError{Format: w.format, Path: w.path, Line: 1, Msg: msg} }
	switch {
	case categoryList && !sawPosts:
		// /categories.json: read for the names by the topics beside it.
		return nil
	case !sawPosts:
		return fail(`no "post_stream": not a Discourse topic page (/t/{id}.json)`)
	case archetype == "private_message":
		return fail("a private message, not a topic of a category: not read")
	case categoryID == "":
		return fail("the topic names no category_id: save the topic page from /t/{id}.json")
	}
	g := Group{Platform: PlatformDiscourse, ExternalID: categoryID, Name: categoryName(p.in.Path, categoryID)}
	return p.emitTopic(g, topicID)
}

// maxTopicText bounds the text of a topic's posts held until its category
// is known: a print=true page holds at most 1000 posts.
const maxTopicText = 256 << 20

func (p *dsParser) postStream() error {
	w := p.w
	if ok, err := w.object("post_stream"); !ok || err != nil {
		return err
	}
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil || k == nil {
			return err
		}
		if string(k) == "posts" {
			err = w.records("posts", p)
		} else {
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *dsParser) read(line int64) error {
	w := p.w
	if ok, err := w.object("posts"); !ok || err != nil {
		if err == nil {
			w.reject("not a post object")
		}
		return err
	}
	c := &p.cur
	*c = dsPost{line: line}
	var b []byte
	for n := 0; ; {
		k, err := w.key(&n)
		if err != nil {
			return err
		}
		if k == nil {
			break
		}
		key := string(k)
		switch key {
		case "id":
			b, err = w.appendID(key, b[:0])
			c.id = w.keep(b)
		case "username":
			b, err = w.appendStr(key, b[:0])
			c.username = w.keep(b)
		case "name":
			b, err = w.appendStr(key, b[:0])
			c.name = w.keep(b)
		case "user_id":
			b, err = w.appendID(key, b[:0])
			c.userID = w.keep(b)
		case "topic_id":
			b, err = w.appendID(key, b[:0])
			c.topicID = w.keep(b)
		case "created_at":
			b, err = w.appendStr(key, b[:0])
			c.created = w.keep(b)
		case "cooked":
			b, err = w.appendStr(key, b[:0])
			c.cooked = w.keep(b)
		case "action_code":
			b, err = w.appendStr(key, b[:0])
			c.actionCode = w.keep(b)
		case "post_number":
			c.postNumber, c.hasPostNumber, err = p.number(key)
		case "reply_to_post_number":
			c.replyTo, c.hasReplyTo, err = p.number(key)
		case "post_type":
			c.postType, _, err = p.number(key)
		case "moderator":
			c.moderator, err = w.boolean(key)
		case "admin":
			c.admin, err = w.boolean(key)
		case "user_deleted":
			var gone bool
			gone, err = w.boolean(key)
			c.deleted = c.deleted || gone
		case "deleted_at":
			if w.ws() == 'n' {
				err = w.literal("null")
			} else {
				b, err = w.appendStr(key, b[:0])
				c.deleted = c.deleted || len(b) > 0
			}
		default:
			err = w.skip()
		}
		if err != nil {
			return err
		}
	}
	switch {
	case !c.hasPostNumber:
		w.reject("a post without post_number")
	case c.username == "" && c.userID == "":
		w.reject("a post without username or user_id")
	case c.created == "":
		w.reject("a post without created_at")
	}
	return nil
}

// number reads an integer (or null).
func (p *dsParser) number(key string) (int64, bool, error) {
	w := p.w
	switch c := w.ws(); {
	case c == 'n':
		return 0, false, w.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		b, err := w.number()
		if err != nil {
			return 0, false, err
		}
		v, perr := strconv.ParseInt(string(b), 10, 64)
		if perr != nil {
			w.reject(fmt.Sprintf("%s %q is not a whole number", key, b))
			return 0, false, nil
		}
		return v, true, nil
	}
	return 0, false, w.wrongKind(key, "a number")
}

func (p *dsParser) emit(line int64) error {
	p.size += len(p.cur.cooked)
	if p.size > maxTopicText {
		return &ParseError{Format: p.w.format, Path: p.w.path, Line: line, Msg: "a topic of more than 256 MB of posts: not a topic page"}
	}
	p.posts = append(p.posts, p.cur)
	return nil
}

// emitTopic sends the topic's posts in the order of their numbers.
func (p *dsParser) emitTopic(g Group, topicID string) error {
	slices.SortStableFunc(p.posts, func(a, b dsPost) int { return int(a.postNumber - b.postNumber) })
	joined := map[string]bool{}
	staff := map[string]bool{}
	var msg Message
	for i := range p.posts {
		c := &p.posts[i]
		t, err := time.Parse(time.RFC3339Nano, c.created)
		if err != nil {
			if err := p.sink.Reject(c.line, fmt.Sprintf("created_at %q is not an RFC 3339 time", c.created), ""); err != nil {
				return err
			}
			continue
		}
		topic := c.topicID
		if topic == "" {
			topic = topicID
		}
		uid := c.userID
		if uid == "" {
			uid = "u:" + strings.ToLower(c.username)
		}
		who := Person{UID: uid, Name: c.username}
		if who.Name == "" {
			who.Name = c.name
		}
		bot := false
		if id, err := strconv.ParseInt(c.userID, 10, 64); err == nil && id < 1 {
			bot = true // Discourse's own users: system (-1), discobot (-2)
		}
		if !staff[uid] && (bot || c.admin || c.moderator) {
			staff[uid] = true
			role := RoleAdmin
			if bot {
				role = RoleBot
			}
			r := Role{Group: Group{Platform: PlatformDiscourse}, Person: who, Role: role, Time: t, Line: c.line}
			if err := p.sink.Role(&r); err != nil {
				return err
			}
		}
		if !bot && !joined[uid] {
			joined[uid] = true
			e := Event{Group: g, Member: who, Time: t, Kind: EventJoin, Line: c.line}
			if err := p.sink.Event(&e); err != nil {
				return err
			}
		}
		text, mentions, image := cookedText(c.cooked, msg.Mentions[:0])
		kind := KindText
		switch {
		case c.deleted:
			kind = KindRecall
		case c.postType == 2 || c.postType == 3:
			kind = KindSystem
			if c.actionCode != "" {
				text = strings.TrimSpace(c.actionCode + " " + text)
			}
		case text == "" && image:
			kind = KindImage
		}
		if len(text) > p.in.MaxMessageBytes() {
			if err := p.sink.Reject(c.line, fmt.Sprintf("a post larger than %d bytes (the message size limit): not read", p.in.MaxMessageBytes()), ""); err != nil {
				return err
			}
			continue
		}
		msg = Message{Group: g, Sender: who, Time: t, Kind: kind, Text: text, Mentions: mentions,
			ExternalID: topic + "/" + strconv.FormatInt(c.postNumber, 10), Line: c.line}
		switch {
		case c.hasReplyTo && c.replyTo > 0:
			msg.ReplyTo = topic + "/" + strconv.FormatInt(c.replyTo, 10)
		case c.postNumber > 1 && kind != KindSystem:
			msg.ReplyTo = topic + "/1" // a post in a topic answers its first post
		}
		if err := p.sink.Message(&msg); err != nil {
			return err
		}
	}
	return nil
}

// cookedText is the text of a post's cooked HTML (paragraphs and line
// breaks as newlines, entities decoded), the usernames it @mentions, and
// whether it shows an image.
func cookedText(cooked string, mentions []string) (string, []string, bool) {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(cooked))
	image, inMention := false, false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyLines(b.String()), mentions, image
		case html.TextToken:
			// Newlines in HTML text are spaces; the tags break lines.
			t := bytes.ReplaceAll(z.Text(), []byte("\n"), []byte(" "))
			if inMention {
				name := strings.TrimPrefix(strings.TrimSpace(string(t)), "@")
				if name != "" {
					mentions = append(mentions, name)
				}
			}
			b.Write(t)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "br", "p", "li", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr":
				if b.Len() > 0 {
					b.WriteByte('\n')
				}
			case "img":
				image = true
			case "a":
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "class" && slices.Contains(strings.Fields(string(v)), "mention") {
						inMention = true
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				inMention = false
			}
		}
	}
}

// tidyLines trims each line and drops empty ones.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// maxCategoryList bounds /categories.json: a forum's categories, a few KiB.
const maxCategoryList = 16 << 20

// categoryName is the name of a category in the /categories.json saved
// beside the topic (or /site.json), else "category N".
func categoryName(topicPath, id string) string {
	dir := filepath.Dir(topicPath)
	for _, name := range []string{"categories.json", "site.json"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var doc struct {
			CategoryList struct {
				Categories []dsCategory `json:"categories"`
			} `json:"category_list"`
			Categories []dsCategory `json:"categories"` // site.json
		}
		err = json.NewDecoder(io.LimitReader(f, maxCategoryList)).Decode(&doc)
		f.Close()
		if err != nil {
			continue
		}
		for _, c := range append(doc.CategoryList.Categories, doc.Categories...) {
			if c.ID.String() == id && strings.TrimSpace(c.Name) != "" {
				return strings.TrimSpace(c.Name)
			}
		}
	}
	return "category " + id
}

type dsCategory struct {
	ID   json.Number `json:"id"`
	Name string      `json:"name"`
}
