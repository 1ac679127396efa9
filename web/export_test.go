package web_test

import (
	"net/http"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/web"
)

var errOptions = web.ErrOptions

func newHandler(a *app.App, key []byte, demo bool) (http.Handler, error) {
	return web.New(a, web.Options{SessionKey: key, Demo: demo})
}
